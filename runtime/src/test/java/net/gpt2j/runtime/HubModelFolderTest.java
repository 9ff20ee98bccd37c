package net.gpt2j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubNames;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.format.safetensors.SafetensorsWriter;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.runtime.model.DeviceChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runtime accepts of a hub folder and what it refuses, each refusal naming the field, file or tensor. */
class HubModelFolderTest {

    static final Hparams SMALL = new Hparams(50257, 8, 8, 2, 1);

    @TempDir
    Path dir;

    /** A folder with seeded-ish weights (small, finite), the config's extra fields as given, and OpenAI's tokenizer. */
    private Path folder(String configExtra, int nInner, Map<String, long[]> extraTensors, String prefix) throws Exception {
        Path f = Files.createDirectories(dir.resolve("m" + System.nanoTime()));
        Files.writeString(f.resolve("config.json"), "{\"model_type\": \"gpt2\", \"vocab_size\": 50257, \"n_positions\": 8, "
                + "\"n_embd\": 8, \"n_head\": 2, \"n_layer\": 1" + configExtra + "}");
        Files.write(f.resolve("vocab.json"), GoldenData.read(GoldenData.ENCODER_JSON));
        Files.write(f.resolve("merges.txt"), GoldenData.read(GoldenData.VOCAB_BPE));
        List<TensorSpec> specs = new ArrayList<>();
        for (TensorSpec s : HubNames.expected(SMALL, nInner)) {
            specs.add(new TensorSpec(prefix + s.name(), s.shape()));
        }
        extraTensors.forEach((n, shape) -> specs.add(new TensorSpec(n, shape)));
        try (SafetensorsWriter w = SafetensorsWriter.create(f.resolve("model.safetensors"), specs, Map.of("format", "pt"))) {
            int k = 0;
            for (TensorSpec s : specs) {
                float[] v = new float[(int) s.elementCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) Math.sin(0.37 * (i + 31 * k)) / 4;
                }
                k++;
                w.write(s.name(), v);
            }
            w.finish();
        }
        return f;
    }

    /**
     * The tokenizer is read on its own thread while the weights load (LoadAside): a folder without its
     * files still fails with the tokenizer's own line, and a good folder's weights are not its concern.
     */
    @Test
    void aFolderWithoutTokenizerFilesFailsNamingThem() throws Exception {
        Path f = folder("", 32, Map.of(), "");
        Files.delete(f.resolve("vocab.json"));
        Files.delete(f.resolve("merges.txt"));
        assertThatThrownBy(() -> Gpt2Runtime.load(f, DeviceChoice.CPU))
                .isInstanceOf(IOException.class)
                .hasMessage(f + " has no tokenizer: expected vocab.json and merges.txt, or tokenizer.json");
    }

    @Test
    void aPrefixedFolderWithAWiderMlpLoadsAndRuns() throws Exception {
        Path f = folder(", \"n_inner\": 24", 24, Map.of(), "transformer.");
        try (Gpt2Runtime r = Gpt2Runtime.load(f, DeviceChoice.CPU)) {
            assertThat(r.model().logits(new int[][] {{15496, 995}}, null)[0][1]).hasSize(50257);
        }
    }

    /**
     * Under gpt2j.weight_memory=mapped a folder's float32 weights stay in its file's pages (WeightMemory)
     * and give the very logits the default load, which copies every weight, gives.
     */
    @Test
    void weightsInTheFilesPagesGiveTheSameLogitsAsCopiedWeights() throws Exception {
        Path f = folder("", 32, Map.of(), "");
        int[][] ids = {{15496, 995, 11, 314}};
        float[][][] copied;
        try (Gpt2Runtime r = Gpt2Runtime.load(f, DeviceChoice.CPU)) {
            assertThat(r.model().weightMemory())
                    .matches("weights: \\d+ (kB|MB) copied \\(gpt2j.weight_memory=mapped to use the files' pages\\)");
            copied = r.model().logits(ids, null);
        }
        System.setProperty("gpt2j.weight_memory", "mapped");
        try (Gpt2Runtime r = Gpt2Runtime.load(f, DeviceChoice.CPU)) {
            assertThat(r.model().weightMemory()).matches("weights: [1-9]\\d* (bytes|kB|MB) in the model files' pages, \\d+ (bytes|kB|MB)"
                    + " copied \\(gpt2j.weight_memory=mapped\\)");
            float[][][] inPlace = r.model().logits(ids, null);
            for (int p = 0; p < ids[0].length; p++) {
                assertThat(inPlace[0][p]).as("position %d", p).containsExactly(copied[0][p]);
            }
        } finally {
            System.clearProperty("gpt2j.weight_memory");
        }
    }

    @Test
    void settingsTheRuntimeCannotHonourAreRefusedNamingTheField() throws Exception {
        assertThatThrownBy(() -> Gpt2Runtime.load(folder(", \"scale_attn_by_inverse_layer_idx\": true", 32, Map.of(), ""),
                DeviceChoice.CPU)).hasMessageContaining("config.json").hasMessageContaining("'scale_attn_by_inverse_layer_idx'");
        assertThatThrownBy(() -> Gpt2Runtime.load(folder(", \"scale_attn_weights\": false", 32, Map.of(), ""),
                DeviceChoice.CPU)).hasMessageContaining("'scale_attn_weights'");
        assertThatThrownBy(() -> Gpt2Runtime.load(folder(", \"activation_function\": \"relu\"", 32, Map.of(), ""),
                DeviceChoice.CPU)).hasMessageContaining("activation_function").hasMessageContaining("'relu'");
    }

    @Test
    void tensorsOfAnotherArchitectureOrTwiceUnderBothNamesAreRefused() throws Exception {
        Map<String, long[]> score = new LinkedHashMap<>();
        score.put("score.weight", new long[] {2, 8});
        assertThatThrownBy(() -> Gpt2Runtime.load(folder("", 32, score, ""), DeviceChoice.CPU))
                .hasMessageContaining("score.weight").hasMessageContaining("GPT2LMHeadModel");
        Map<String, long[]> twice = Map.of("transformer.ln_f.bias", new long[] {8});
        assertThatThrownBy(() -> Gpt2Runtime.load(folder("", 32, twice, ""), DeviceChoice.CPU))
                .hasMessageContaining("ln_f.bias twice");
    }

    @Test
    void anUntiedHeadMustBeStored() throws Exception {
        assertThatThrownBy(() -> Gpt2Runtime.load(folder(", \"tie_word_embeddings\": false", 32, Map.of(), ""),
                DeviceChoice.CPU)).hasMessageContaining("'tie_word_embeddings'").hasMessageContaining("lm_head.weight");
        Map<String, long[]> head = Map.of("lm_head.weight", new long[] {50257, 8});
        try (Gpt2Runtime r = Gpt2Runtime.load(folder(", \"tie_word_embeddings\": false", 32, head, ""), DeviceChoice.CPU)) {
            assertThat(r.hparams()).isEqualTo(SMALL);
        }
    }

    @Test
    void aFolderWithoutConfigOrWeightsIsRefusedNamingWhatIsMissing() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Gpt2Runtime.load(empty, DeviceChoice.CPU)).hasMessageContaining("has no config.json");
        Path noWeights = folder("", 32, Map.of(), "");
        Files.delete(noWeights.resolve("model.safetensors"));
        assertThatThrownBy(() -> Gpt2Runtime.load(noWeights, DeviceChoice.CPU))
                .hasMessageContaining("neither model.safetensors nor model.safetensors.index.json");
        assertThatThrownBy(() -> Gpt2Runtime.load(dir.resolve("absent"), DeviceChoice.CPU))
                .hasMessageContaining("does not exist");
    }
}
