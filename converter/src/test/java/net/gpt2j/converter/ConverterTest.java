package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.safetensors.SafetensorsReader;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConverterTest {

    /** Small enough to be instant; the tiny fixture's shapes are covered in convertsTheTinyFixture. */
    static final Hparams SMALL = new Hparams(16, 8, 8, 2, 2);
    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);

    @TempDir
    Path dir;
    Path encoder;
    Path vocab;
    final List<String> warnings = new ArrayList<>();
    final List<Long> progress = new ArrayList<>();
    final ConversionListener listener = new ConversionListener() {
        @Override
        public void warning(String message) {
            warnings.add(message);
        }

        @Override
        public void progress(long bytesDone, String item) {
            progress.add(bytesDone);
        }
    };

    @BeforeEach
    void tokenizerFiles() throws IOException {
        Path tok = Files.createDirectories(dir.resolve("tok"));
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < SMALL.nVocab() - 1; i++) {
            json.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": ").append(i);
        }
        json.append(", \"<|endoftext|>\": ").append(SMALL.nVocab() - 1);
        encoder = Files.writeString(tok.resolve("encoder.json"), json.append("}").toString());
        vocab = Files.writeString(tok.resolve("vocab.bpe"), "#version: 0.2\nt 1\n");
    }

    private ConversionInput input(SyntheticCheckpoint reader) {
        return ConversionInput.of(reader, reader.weights.hparams(), encoder, vocab);
    }

    /** What WeightMapping makes of SyntheticWeights: the reference the converter's output must equal. */
    static Map<String, float[]> expected(SyntheticWeights w) {
        WeightMapping mapping = new WeightMapping(w.hparams());
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (TensorSpec in : mapping.expectedInputs()) {
            float[] v = w.values(new SyntheticWeights.Variable(in.name(), in.shape()));
            for (MappedTensor t : mapping.map(in, FloatBuffer.wrap(v))) {
                out.put(t.name(), t.data());
            }
        }
        return out;
    }

    /** Compares every tensor of a model.safetensors with the reference, bit for bit. */
    static void assertSafetensorsEqual(Path file, Map<String, float[]> expected, Hparams h) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertThat(r.metadata()).containsExactly(Map.entry("format", "pt"));
            List<TensorSpec> specs = new WeightMapping(h).outputs();
            assertThat(r.tensors()).extracting(TensorSpec::name).containsExactlyElementsOf(expected.keySet());
            for (TensorSpec s : specs) {
                assertThat(r.spec(s.name()).shape()).as(s.name()).containsExactly(s.shape());
                FloatBuffer got = r.floats(s.name());
                float[] want = expected.get(s.name());
                assertThat(got.remaining()).as(s.name()).isEqualTo(want.length);
                for (int i = 0; i < want.length; i++) {
                    if (Float.floatToRawIntBits(got.get(i)) != Float.floatToRawIntBits(want[i])) {
                        throw new AssertionError(s.name() + "[" + i + "] = " + got.get(i) + ", expected " + want[i]);
                    }
                }
            }
        }
    }

    private List<String> siblingsOf(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.getParent())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void convertsTheTinyFixtureBitForBitIntoTheHubFolder() throws Exception {
        Path tok = Files.createDirectories(dir.resolve("real"));
        Path realEncoder = Files.write(tok.resolve("encoder.json"), GoldenData.read(GoldenData.ENCODER_JSON));
        Path realVocab = Files.write(tok.resolve("vocab.bpe"), GoldenData.read(GoldenData.VOCAB_BPE));
        SyntheticCheckpoint reader = new SyntheticCheckpoint(1, TINY);
        Path out = dir.resolve("models/tiny");

        ConversionResult result = new Converter(listener)
                .convert(ConversionInput.of(reader, TINY, realEncoder, realVocab), out, false);

        assertThat(result.outputDir()).isEqualTo(out.toAbsolutePath());
        assertThat(siblingsOf(out)).containsExactly("tiny");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.safetensors", "config.json", "generation_config.json", "vocab.json",
                            "merges.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                            "manifest.json", "README.md");
        }
        Map<String, float[]> want = expected(reader.weights);
        assertSafetensorsEqual(out.resolve("model.safetensors"), want, TINY);
        // OpenAI's vocab.bpe is merges.txt byte for byte; vocab.json is encoder.json's mapping
        assertThat(out.resolve("merges.txt")).hasSameBinaryContentAs(realVocab);
        assertThat(new ObjectMapper().readTree(out.resolve("vocab.json").toFile()))
                .isEqualTo(new ObjectMapper().readTree(realEncoder.toFile()));
        assertThat(reader.reads).as("each tensor read exactly once").isEqualTo(new WeightMapping(TINY).expectedInputs().size());

        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("gpt2");
        assertThat(config.get("architectures").toString()).isEqualTo("[\"GPT2LMHeadModel\"]");
        assertThat(config.get("vocab_size").asInt()).isEqualTo(50257);
        assertThat(config.get("n_positions").asInt()).isEqualTo(64);
        assertThat(config.get("n_ctx").asInt()).isEqualTo(64);
        assertThat(config.get("n_embd").asInt()).isEqualTo(64);
        assertThat(config.get("n_head").asInt()).isEqualTo(4);
        assertThat(config.get("n_layer").asInt()).isEqualTo(2);
        assertThat(config.get("layer_norm_epsilon").asDouble()).isEqualTo(1e-5);
        assertThat(config.get("activation_function").asText()).isEqualTo("gelu_new");
        assertThat(config.get("bos_token_id").asInt()).isEqualTo(50256);
        assertThat(config.get("eos_token_id").asInt()).isEqualTo(50256);
        assertThat(config.get("tie_word_embeddings").asBoolean()).isTrue();
        assertThat(config.has("gpt2j_layout")).isFalse();

        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("format").asText()).isEqualTo("gpt2j-manifest/3");
        assertThat(manifest.get("layout").asText()).isEqualTo("hub");
        assertThat(manifest.get("converter_version").asText()).isEqualTo(Converter.VERSION);
        assertThat(manifest.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        JsonNode tensors = manifest.get("safetensors").get("tensors");
        assertThat(tensors.size()).isEqualTo(want.size());
        for (JsonNode t : tensors) {
            float[] v = want.get(t.get("name").asText());
            assertThat(t.get("crc32c").asText()).as(t.get("name").asText()).isEqualTo(crc32c(v));
        }
        JsonNode merges = manifest.get("written").findParents("name").stream()
                .filter(f -> f.get("name").asText().equals("merges.txt")).findFirst().orElseThrow();
        assertThat(merges.get("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(realVocab)));
        String readme = Files.readString(out.resolve("README.md"));
        assertThat(readme).contains("model/h0/attn/c_attn/w").contains("h.0.attn.c_attn.weight").contains("from_pretrained");
        assertThat(progress).last().isEqualTo(reader.tensors().stream().mapToLong(TensorEntry::size).sum());
    }

    static String sha256(float[] v) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return sha256(b.array());
    }

    /** The CRC-32C of the values' little-endian bytes, as manifest.json writes it: 8 hex digits. */
    static String crc32c(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array());
        return String.format("%08x", crc.getValue());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void missingTensorIsRefusedBeforeAnyDataIsReadNamingItsExpectedShape() {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL).without("model/h1/mlp/c_fc/w");
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), out, false))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("model/h1/mlp/c_fc/w: missing (expected float32 [1, 8, 32])");
        assertThat(reader.reads).isZero();
        assertThat(out).doesNotExist();
    }

    @Test
    void wrongShapeIsRefusedNamingTensorExpectedAndActualShapes() {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL).alter("model/wpe",
                e -> new TensorEntry(e.name(), e.dtype(), new long[] {16, 8}, e.shardId(), e.offset(), 16 * 8 * 4, 0));
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), dir.resolve("out"), false))
                .hasMessageContaining("model/wpe: shape [16, 8], expected [8, 8]");
        assertThat(reader.reads).isZero();
    }

    @Test
    void wrongDtypeIsRefusedNamingTheTensor() {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL).alter("model/ln_f/g",
                e -> new TensorEntry(e.name(), "DT_HALF", e.shape(), e.shardId(), e.offset(), e.size() / 2, 0));
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), dir.resolve("out"), false))
                .hasMessageContaining("model/ln_f/g: dtype DT_HALF, expected DT_FLOAT");
        assertThat(reader.reads).isZero();
    }

    @Test
    void aLayerBeyondNLayerMeansTheHparamsAreWrong() {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL).withExtra("model/h2/ln_1/g", 8);
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), dir.resolve("out"), false))
                .hasMessageContaining("model/h2/ln_1/g").hasMessageContaining("n_layer = 2");
        assertThat(reader.reads).isZero();
    }

    @Test
    void optimizerSlotsAndGlobalStepAreIgnoredWithAWarningNamingThem() throws Exception {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL)
                .withExtra("model/h0/attn/c_attn/w/Adam", 1, 8, 24).withExtra("global_step").withExtra("beta1_power");
        Path out = dir.resolve("out");
        ConversionResult r = new Converter(listener).convert(input(reader), out, false);
        assertThat(r.ignoredVariables()).containsExactlyInAnyOrder("model/h0/attn/c_attn/w/Adam", "global_step", "beta1_power");
        assertThat(warnings).singleElement().asString()
                .contains("model/h0/attn/c_attn/w/Adam").contains("global_step").contains("beta1_power");
        assertThat(reader.readOrder).doesNotContain("model/h0/attn/c_attn/w/Adam", "global_step", "beta1_power");
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("ignored_variables").toString()).contains("global_step");
        assertSafetensorsEqual(out.resolve("model.safetensors"), expected(reader.weights), SMALL);
    }

    @Test
    void existingOutputWithoutForceIsRefusedAndLeftUntouched() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("mine.txt"), "precious");
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL);
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), out, false))
                .isInstanceOf(ConversionException.class).hasMessageContaining(out.toString()).hasMessageContaining("already exists");
        assertThat(reader.reads).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("mine.txt");
        }
        assertThat(Files.readString(out.resolve("mine.txt"))).isEqualTo("precious");
        assertThat(siblingsOf(out)).containsExactlyInAnyOrder("out", "tok");
    }

    /** A folder an earlier conversion wrote (its manifest carries our marker), the only kind --force replaces. */
    private Path previousConversion() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("old.txt"), "old");
        // old.txt stands for a file an earlier conversion wrote: --force replaces only what its manifest names
        Files.writeString(out.resolve(Converter.MANIFEST),
                "{\"format\": 1, \"converter\": \"gpt2j-converter\", \"written\": [{\"name\": \"old.txt\"}]}");
        return out;
    }

    @Test
    void forceReplacesTheExistingFolderAndLeavesNoTemporaryFolders() throws Exception {
        Path out = previousConversion();
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL);
        new Converter(listener).convert(input(reader), out, true);
        assertThat(out.resolve("old.txt")).doesNotExist();
        assertSafetensorsEqual(out.resolve("model.safetensors"), expected(reader.weights), SMALL);
        assertThat(siblingsOf(out)).containsExactlyInAnyOrder("out", "tok");
    }

    @Test
    void failureMidwayLeavesNeitherOutputNorTemporaryFolder() {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL).failOnRead(5);
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), out, false))
                .hasMessageContaining("synthetic failure reading tensor");
        assertThat(reader.reads).isEqualTo(5);
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("tok");
    }

    @Test
    void failureMidwayWithForceKeepsTheOldFolder() throws Exception {
        Path out = previousConversion();
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL).failOnRead(7);
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), out, true))
                .hasMessageContaining("synthetic failure");
        assertThat(Files.readString(out.resolve("old.txt"))).isEqualTo("old");
        assertThat(siblingsOf(out)).containsExactlyInAnyOrder("out", "tok");
    }

    @Test
    void encoderWithMoreTokensThanTheModelHasRowsIsRefused() throws Exception {
        Files.writeString(encoder, vocabulary(SMALL.nVocab() + 1));
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL);
        assertThatThrownBy(() -> new Converter(listener).convert(input(reader), dir.resolve("out"), false))
                .hasMessageContaining(encoder.toString()).hasMessageContaining("17 tokens").hasMessageContaining("n_vocab is 16")
                .hasMessageContaining("at least the tokenizer's size");
        assertThat(reader.reads).isZero();
    }

    @Test
    void aPaddedVocabularyConverts() throws Exception {
        // n_vocab above the tokenizer's size, as training setups pad 50257 to 50304: the extra rows stay in wte
        Files.writeString(encoder, vocabulary(SMALL.nVocab() - 3));
        SyntheticCheckpoint reader = new SyntheticCheckpoint(3, SMALL);
        Path out = dir.resolve("out");
        new Converter(listener).convert(input(reader), out, false);
        assertThat(new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("vocab_size").asInt())
                .isEqualTo(SMALL.nVocab());
        assertThat(new ObjectMapper().readTree(out.resolve("vocab.json").toFile()).size()).isEqualTo(SMALL.nVocab() - 3);
    }

    /** {@code n} tokens t0.. with <|endoftext|> last, as encoder.json spells them. */
    private static String vocabulary(int n) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < n - 1; i++) {
            json.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": ").append(i);
        }
        return json.append(", \"<|endoftext|>\": ").append(n - 1).append("}").toString();
    }

    @Test
    void convertInMemoryGivesTheHubTensorsInOutputOrder() throws Exception {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(5, SMALL).withExtra("global_step");
        Map<String, MappedTensor> got = Converter.convertInMemory(reader, SMALL);
        Map<String, float[]> want = expected(reader.weights);
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        want.forEach((name, v) -> assertThat(got.get(name).data()).as(name).containsExactly(v));
        assertThat(got.get("h.1.attn.c_attn.weight").spec().shape()).containsExactly(8, 24);
    }

    @Test
    void convertInMemoryRunsTheSameChecks() {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(5, SMALL).without("model/wte");
        assertThatThrownBy(() -> Converter.convertInMemory(reader, SMALL)).hasMessageContaining("model/wte: missing");
    }
}
