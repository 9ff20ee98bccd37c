package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import net.gpt2j.cli.port.RuntimePort;
import net.gpt2j.cli.port.RuntimePortProvider;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.converter.Converter;
import net.gpt2j.converter.FileTrees;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.OpenAiNames;
import net.gpt2j.format.safetensors.ShardedSafetensors;
import net.gpt2j.golden.SyntheticWeights;
import net.gpt2j.kit.GoldenTests;
import net.gpt2j.kit.ModelSpec;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.model.ModelConfig;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;
import net.gpt2j.tf.FixtureWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runtime runs GPT-2 folders it did not write ({@link HfStyleFolder}: HuggingFace's own
 * variations), and refuses a converted folder whose weights rotted.
 */
class HubFoldersTest {

    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);
    static final HfStyleFolder.Options PREFIXED_SHARDED =
            new HfStyleFolder.Options(true, true, true, 2, HfStyleFolder.Dtype.F32);

    private static Path work;
    private static GoldenTests goldens;

    @TempDir
    Path dir;

    /**
     * Every packaged golden (both HF versions, both fixtures, activations, tokenizer) on folders
     * written by HfStyleFolder: prefixed, mask buffers, duplicated lm_head, two shards, tensors in
     * the safetensors library's order, tokenizer.json only. Real-weight cases convert as usual.
     */
    @TestFactory
    Stream<DynamicNode> everyPackagedGoldenOnAPrefixedShardedHuggingFaceFolder() throws Exception {
        work = Files.createTempDirectory("gpt2-hf-style-");
        RuntimePortProvider converting = new RuntimePortProvider(work.resolve("converted"), null, DeviceChoice.CPU);
        goldens = GoldenTests.forProvider(spec -> {
            if (spec.source() == ModelSpec.Source.CHECKPOINT) {
                return converting.portFor(spec);
            }
            SyntheticWeights weights = spec.source() == ModelSpec.Source.SYNTHETIC ? spec.syntheticWeights()
                    : new SyntheticWeights(1, TINY); // the tokenizer cases need only the folder's tokenizer.json
            Path folder = work.resolve(spec.name() + "-hf");
            FileTrees.deleteRecursively(folder);
            HfStyleFolder.write(weights, PREFIXED_SHARDED, folder);
            assertThat(folder.resolve("vocab.json")).doesNotExist();
            return new RuntimePort(Gpt2Runtime.load(folder, DeviceChoice.CPU));
        });
        return goldens.packaged();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (goldens != null) {
            goldens.closePorts();
        }
        if (work != null) {
            FileTrees.deleteRecursively(work);
        }
    }

    /**
     * Half-precision tensors are upcast exactly: the folder gives the logits, bit for bit, of the
     * same model held in float32 with each value rounded to the half type; and it generates.
     */
    @ParameterizedTest
    @EnumSource(value = HfStyleFolder.Dtype.class, names = {"F16", "BF16"})
    void halfPrecisionFoldersLoadAsTheirExactUpcastAndGenerate(HfStyleFolder.Dtype dtype) throws Exception {
        Hparams small = new Hparams(50257, 32, 32, 2, 2);
        SyntheticWeights weights = new SyntheticWeights(7, small);
        Path folder = dir.resolve("half");
        HfStyleFolder.write(weights, new HfStyleFolder.Options(false, false, false, 1, dtype), folder);
        Map<String, MappedTensor> rounded = new LinkedHashMap<>();
        for (OpenAiNames.Row r : OpenAiNames.table(small)) {
            float[] v = weights.values(new SyntheticWeights.Variable(r.openAi().name(), r.openAi().shape()));
            for (int i = 0; i < v.length; i++) {
                v[i] = dtype == HfStyleFolder.Dtype.F16 ? fromF16(HfStyleFolder.toF16(v[i]))
                        : Float.intBitsToFloat(HfStyleFolder.toBf16(v[i]) << 16);
            }
            rounded.put(r.hub().name(), new MappedTensor(r.hub(), v));
        }
        int[][] ids = {{15496, 995, 11, 314}};
        try (Gpt2Runtime half = Gpt2Runtime.load(folder, DeviceChoice.CPU);
                Gpt2Runtime reference = Gpt2Runtime.fromWeights(rounded, small, ModelConfig.DEFAULT,
                        Gpt2Tokenizer.fromGoldenData(), DeviceChoice.CPU)) {
            assertThat(half.model().logits(ids, null)[0]).isDeepEqualTo(reference.model().logits(ids, null)[0]);
            int[][] out = half.greedy(PromptBatch.single(half.tokenizer().encode("Hello world")),
                    GenerationConfig.builder().maxNewTokens(5).build());
            assertThat(out[0]).hasSize(7);
        }
    }

    /** IEEE binary16 to float32, written here independently of the format module's reader. */
    private static float fromF16(short h) {
        int e = (h >>> 10) & 0x1F;
        int m = h & 0x3FF;
        float v = e == 0 ? m * 0x1p-24f : (float) ((1 + m / 1024.0) * Math.pow(2, e - 15));
        return (h & 0x8000) != 0 ? -v : v;
    }

    @Test
    void aNonGpt2TensorAndAPickleOnlyFolderAreRefusedNamingThem() throws Exception {
        Path folder = dir.resolve("extra");
        HfStyleFolder.write(new SyntheticWeights(1, new Hparams(50257, 16, 16, 2, 1)), HfStyleFolder.Options.PLAIN, folder);
        Files.delete(folder.resolve("model.safetensors"));
        Files.write(folder.resolve(ShardedSafetensors.PICKLE), new byte[] {(byte) 0x80, 2, '.'});
        assertThatThrownBy(() -> Gpt2Runtime.load(folder, DeviceChoice.CPU))
                .hasMessageContaining("pytorch_model.bin").hasMessageContaining("convert it to safetensors");
    }

    /** Issue 9 item 6: bit rot in a converted folder is caught at load, naming the tensor. */
    @Test
    void aConvertedFolderWhoseTensorChangedIsRefusedUnlessVerificationIsOff() throws Exception {
        Hparams small = new Hparams(50257, 16, 16, 2, 1);
        Path checkpoint = dir.resolve("ckpt");
        new FixtureWriter().write(3, small, checkpoint);
        Path converted = dir.resolve("converted");
        new Converter(ConversionListener.SILENT).convert(checkpoint, converted, false);
        long at;
        try (ShardedSafetensors st = ShardedSafetensors.open(converted)) {
            at = Files.size(converted.resolve("model.safetensors")) - 4 * 16 + 4 * 3; // element 3 of the last tensor, ln_f.bias
            assertThat(st.names()).last().isEqualTo("ln_f.bias");
        }
        flip(converted.resolve("model.safetensors"), at, (byte) 0x01); // a low mantissa bit: still finite
        assertThatThrownBy(() -> Gpt2Runtime.load(converted, DeviceChoice.CPU))
                .hasMessageContaining("ln_f.bias").hasMessageContaining("CRC-32C").hasMessageContaining("manifest.json");
        try (Gpt2Runtime loaded = Gpt2Runtime.load(converted, DeviceChoice.CPU, false)) {
            assertThat(loaded.hparams()).isEqualTo(small);
        }
        // exponent bits all set: NaN, refused even without the manifest check
        try (RandomAccessFile f = new RandomAccessFile(converted.resolve("model.safetensors").toFile(), "rw")) {
            f.seek(at - (at % 4));
            f.write(new byte[] {0, 0, (byte) 0xC0, 0x7F});
        }
        assertThatThrownBy(() -> Gpt2Runtime.load(converted, DeviceChoice.CPU, false))
                .hasMessageContaining("tensor ln_f.bias holds a non-finite value (NaN)");
    }

    /** A manifest that leaves a tensor out would leave it unchecked: refused, naming it, unless verification is off. */
    @Test
    void aTensorTheManifestDoesNotListIsRefusedUnlessVerificationIsOff() throws Exception {
        Path converted = smallConvertedFolder("unlisted");
        Path manifest = converted.resolve("manifest.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(manifest.toFile());
        ArrayNode tensors = (ArrayNode) m.path("safetensors").path("tensors");
        assertThat(tensors.get(0).path("name").asText()).isEqualTo("wte.weight");
        tensors.remove(0);
        json.writeValue(manifest.toFile(), m);

        assertThatThrownBy(() -> Gpt2Runtime.load(converted, DeviceChoice.CPU))
                .hasMessageContaining("model.safetensors: tensor wte.weight is not listed in manifest.json")
                .hasMessageContaining("--no-verify-weights");
        try (Gpt2Runtime loaded = Gpt2Runtime.load(converted, DeviceChoice.CPU, false)) {
            assertThat(loaded.hparams()).isEqualTo(SMALL);
        }
    }

    /** config.json's n_inner must fit the weights, as HF's from_pretrained requires: the model would run on the weights' width. */
    @Test
    void anMlpWidthInTheConfigThatTheWeightsDoNotHaveIsRefused() throws Exception {
        Path converted = smallConvertedFolder("inner");
        Path config = converted.resolve("config.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(config.toFile());
        c.put("n_inner", 32);
        json.writeValue(config.toFile(), c);
        assertThatThrownBy(() -> Gpt2Runtime.load(converted, DeviceChoice.CPU, false))
                .hasMessageContaining("config.json: the MLP is 32 wide (field 'n_inner')")
                .hasMessageContaining("tensor h.0.mlp.c_fc.weight has shape [16, 64], 64 wide");
        c.put("n_inner", 64); // HF writes null for 4 * n_embd, but the number itself is as good
        json.writeValue(config.toFile(), c);
        try (Gpt2Runtime loaded = Gpt2Runtime.load(converted, DeviceChoice.CPU, false)) {
            assertThat(loaded.hparams()).isEqualTo(SMALL);
        }
    }

    private static final Hparams SMALL = new Hparams(50257, 16, 16, 2, 1);

    /** A seed-3 fixture of {@link #SMALL}'s shape, converted into {@code dir/name}. */
    private Path smallConvertedFolder(String name) throws Exception {
        Path checkpoint = dir.resolve("ckpt-" + name);
        new FixtureWriter().write(3, SMALL, checkpoint);
        Path converted = dir.resolve(name);
        new Converter(ConversionListener.SILENT).convert(checkpoint, converted, false);
        return converted;
    }

    private static void flip(Path file, long at, byte mask) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ mask);
        }
    }
}
