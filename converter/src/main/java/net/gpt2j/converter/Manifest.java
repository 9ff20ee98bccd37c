package net.gpt2j.converter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import net.gpt2j.converter.ConversionResult.OutputTensor;
import net.gpt2j.converter.source.SourceFile;
import net.gpt2j.format.Hparams;

/**
 * The {@code manifest.json} of a converted folder: what produced it, from which files (sha256 and
 * size), and the CRC-32C and shape of every output tensor, so a later reader can tell a corrupted
 * file from the one converted, tensor by tensor.
 *
 * <p>Why CRC-32C per tensor, not sha256 (as format 1 had): a checksum stored beside the file it
 * describes guards against accidents only (a bad disk, a truncated copy, a tensor written to the
 * wrong place); whoever can alter model.safetensors can rewrite the manifest too. Against accidents
 * a 32-bit CRC is as good as sha256 (it catches every burst error up to 32 bits, anything else but
 * for one chance in 4 billion), and it costs a tenth: the CPU's crc32 instruction runs at over 10
 * GB/s, while sha256 of the 124M model's 498 MB took 0.3 s, as long as the rest of the conversion.
 * Provenance, where a cryptographic hash matters, is the sources' sha256, kept. Nor is a sha256 of
 * the whole model.safetensors recorded: with the sources' sha256 it would be the second 0.3 s pass
 * that both cores are already busy without, and {@code sha256sum model.safetensors} gives it to
 * whoever needs it to publish the file.
 */
final class Manifest {

    /**
     * 2: the tensors' "sha256" became "crc32c". 3: the folder is the hub's ("layout": "hub"), and
     * "copied" (OpenAI's tokenizer files) became "written" (the hub's config and tokenizer files).
     */
    static final String FORMAT = "gpt2j-manifest/3";

    private Manifest() {}

    static ObjectNode of(Hparams h, Instant created, List<SourceFile> sources, List<SourceFile> written,
            List<String> ignored, String safetensorsFile, long safetensorsBytes, List<OutputTensor> tensors) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("format", FORMAT);
        m.put("converter", "gpt2j-converter");
        m.put("converter_version", Converter.VERSION);
        m.put("created", created.toString());
        m.put("layout", "hub");
        ObjectNode hp = m.putObject("hparams");
        hp.put("n_vocab", h.nVocab());
        hp.put("n_ctx", h.nCtx());
        hp.put("n_embd", h.nEmbd());
        hp.put("n_head", h.nHead());
        hp.put("n_layer", h.nLayer());
        files(m.putArray("sources"), sources);
        files(m.putArray("written"), written);
        ArrayNode ign = m.putArray("ignored_variables");
        ignored.forEach(ign::add);
        ObjectNode st = m.putObject("safetensors");
        st.put("file", safetensorsFile);
        st.put("size", safetensorsBytes);
        ArrayNode ts = st.putArray("tensors");
        for (OutputTensor t : tensors) {
            ObjectNode o = ts.addObject();
            o.put("name", t.name());
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            o.put("dtype", "F32");
            o.put("crc32c", t.crc32cHex());
        }
        return m;
    }

    private static void files(ArrayNode into, List<SourceFile> files) {
        for (SourceFile f : files) {
            into.addObject().put("name", f.name()).put("size", f.size()).put("sha256", f.sha256());
        }
    }
}
