package net.gpt2j.converter.download;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.checkpoint.BundleHeader;
import net.gpt2j.converter.checkpoint.BundleIndex;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.golden.GoldenData;

/**
 * The seven files of a release that passes {@link ReleaseCheck#checkpointOnly()}: a real index for
 * a one-layer model of width 2 with GPT-2's real tokenizer, a shard exactly as long as the index
 * says (its bytes are a pattern, never read as floats here).
 */
final class TinyRelease {

    static final Hparams HPARAMS = new Hparams(50257, 4, 2, 1, 1);

    private TinyRelease() {}

    static Map<String, byte[]> files() {
        List<TensorEntry> entries = new ArrayList<>();
        long offset = 0;
        for (TensorSpec s : new WeightMapping(HPARAMS).expectedInputs()) {
            entries.add(new TensorEntry(s.name(), "DT_FLOAT", s.shape(), 0, offset, s.byteSize(), 0));
            offset += s.byteSize();
        }
        entries.sort(Comparator.comparing(TensorEntry::name));
        byte[] shard = new byte[(int) offset];
        for (int j = 0; j < shard.length; j++) {
            shard[j] = (byte) (j * 31 + 7);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("checkpoint", text("model_checkpoint_path: \"model.ckpt\"\nall_model_checkpoint_paths: \"model.ckpt\"\n"));
        files.put("encoder.json", GoldenData.read(GoldenData.ENCODER_JSON));
        files.put("hparams.json", text("{\"n_vocab\": 50257, \"n_ctx\": 4, \"n_embd\": 2, \"n_head\": 1, \"n_layer\": 1}"));
        files.put("model.ckpt.data-00000-of-00001", shard);
        files.put("model.ckpt.index", new BundleIndex(new BundleHeader(1, BundleHeader.LITTLE, 1, new byte[] {8, 1}), entries).encode());
        files.put("model.ckpt.meta", text("a MetaGraphDef stand-in"));
        files.put("vocab.bpe", GoldenData.read(GoldenData.VOCAB_BPE));
        return files;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
