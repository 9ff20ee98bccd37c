package net.gpt2j.converter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import net.gpt2j.converter.ConversionResult.OutputTensor;
import net.gpt2j.converter.mapping.Layout;
import net.gpt2j.converter.source.SourceFile;
import net.gpt2j.golden.Hparams;

/**
 * The {@code manifest.json} of a converted folder: what produced it, from which files (sha256 and
 * size), and the sha256 and shape of every output tensor, so a later reader can tell a corrupted
 * or swapped file from the one converted, tensor by tensor.
 */
final class Manifest {

    static final String FORMAT = "gpt2j-manifest/1";

    private Manifest() {}

    static ObjectNode of(Layout layout, Hparams h, Instant created, List<SourceFile> sources, List<SourceFile> copied,
            List<String> ignored, String safetensorsFile, long safetensorsBytes, List<OutputTensor> tensors) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("format", FORMAT);
        m.put("converter", "gpt2j-converter");
        m.put("converter_version", Converter.VERSION);
        m.put("created", created.toString());
        m.put("layout", layout.name().toLowerCase());
        ObjectNode hp = m.putObject("hparams");
        hp.put("n_vocab", h.nVocab());
        hp.put("n_ctx", h.nCtx());
        hp.put("n_embd", h.nEmbd());
        hp.put("n_head", h.nHead());
        hp.put("n_layer", h.nLayer());
        files(m.putArray("sources"), sources);
        files(m.putArray("copied"), copied);
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
            o.put("sha256", t.sha256());
        }
        return m;
    }

    private static void files(ArrayNode into, List<SourceFile> files) {
        for (SourceFile f : files) {
            into.addObject().put("name", f.name()).put("size", f.size()).put("sha256", f.sha256());
        }
    }
}
