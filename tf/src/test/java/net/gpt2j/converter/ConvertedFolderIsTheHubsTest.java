package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubConfig;
import net.gpt2j.format.HubNames;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.format.safetensors.ShardedSafetensors;
import net.gpt2j.format.tokenizer.BpeFiles;
import net.gpt2j.format.tokenizer.BpeModel;
import net.gpt2j.golden.SyntheticWeights;
import net.gpt2j.tf.FixtureWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converter's output is the hub's GPT-2 folder: checked once through the format module (what the
 * runtime reads) and once against HuggingFace's conventions written out here, independently of the
 * project's code: GPT2LMHeadModel's state-dict names and shapes, the safetensors header read by hand,
 * and the structure the tokenizers library expects of tokenizer.json.
 */
class ConvertedFolderIsTheHubsTest {

    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);
    static final int E = 64;

    @TempDir
    static Path dir;
    static Path out;

    @BeforeAll
    static void convertTheTinyFixture() throws Exception {
        Path checkpoint = dir.resolve("tiny");
        new FixtureWriter().write(1, TINY, checkpoint);
        out = dir.resolve("tiny-hub");
        new Converter(ConversionListener.SILENT).convert(checkpoint, out, false);
    }

    /**
     * GPT2LMHeadModel(GPT2Config(vocab_size=50257, n_positions=64, n_embd=64, n_layer=2, n_head=4))
     * .state_dict() as save_pretrained writes it for the hub's gpt2: "transformer." stripped, the
     * tied lm_head.weight and the attn.bias / masked_bias buffers left out, Conv1D weights [in, out].
     */
    static Map<String, List<Long>> hfStateDict() {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        m.put("wte.weight", List.of(50257L, 64L));
        m.put("wpe.weight", List.of(64L, 64L));
        for (int i = 0; i < 2; i++) {
            m.put("h." + i + ".ln_1.weight", List.of(64L));
            m.put("h." + i + ".ln_1.bias", List.of(64L));
            m.put("h." + i + ".attn.c_attn.weight", List.of(64L, 192L));
            m.put("h." + i + ".attn.c_attn.bias", List.of(192L));
            m.put("h." + i + ".attn.c_proj.weight", List.of(64L, 64L));
            m.put("h." + i + ".attn.c_proj.bias", List.of(64L));
            m.put("h." + i + ".ln_2.weight", List.of(64L));
            m.put("h." + i + ".ln_2.bias", List.of(64L));
            m.put("h." + i + ".mlp.c_fc.weight", List.of(64L, 256L));
            m.put("h." + i + ".mlp.c_fc.bias", List.of(256L));
            m.put("h." + i + ".mlp.c_proj.weight", List.of(256L, 64L));
            m.put("h." + i + ".mlp.c_proj.bias", List.of(64L));
        }
        m.put("ln_f.weight", List.of(64L));
        m.put("ln_f.bias", List.of(64L));
        return m;
    }

    @Test
    void theFolderHoldsWhatSavePretrainedWritesPlusOurManifestAndReadme() throws Exception {
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.safetensors",
                    "config.json", "generation_config.json", "vocab.json", "merges.txt", "tokenizer.json",
                    "tokenizer_config.json", "special_tokens_map.json", "manifest.json", "README.md");
        }
    }

    @Test
    void safetensorsHeaderReadByHandHasGpt2LMHeadModelsNamesShapesAndDtype() throws Exception {
        byte[] file = Files.readAllBytes(out.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
        assertThat(header.get("__metadata__").get("format").asText()).isEqualTo("pt");
        Map<String, List<Long>> found = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            assertThat(e.getValue().get("dtype").asText()).as(e.getKey()).isEqualTo("F32");
            List<Long> shape = new ArrayList<>();
            e.getValue().get("shape").forEach(d -> shape.add(d.asLong()));
            found.put(e.getKey(), shape);
        }
        assertThat(found).containsExactlyInAnyOrderEntriesOf(hfStateDict());
    }

    @Test
    void configJsonIsGpt2ConfigsWithNCtx() throws Exception {
        JsonNode c = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertThat(c.get("model_type").asText()).isEqualTo("gpt2");
        assertThat(c.get("architectures").get(0).asText()).isEqualTo("GPT2LMHeadModel");
        assertThat(c.get("vocab_size").asInt()).isEqualTo(50257);
        assertThat(c.get("n_positions").asInt()).isEqualTo(64);
        assertThat(c.get("n_ctx").asInt()).isEqualTo(64);
        assertThat(c.get("n_embd").asInt()).isEqualTo(64);
        assertThat(c.get("n_layer").asInt()).isEqualTo(2);
        assertThat(c.get("n_head").asInt()).isEqualTo(4);
        assertThat(c.get("activation_function").asText()).isEqualTo("gelu_new");
        assertThat(c.get("tie_word_embeddings").asBoolean()).isTrue();
        JsonNode g = new ObjectMapper().readTree(out.resolve("generation_config.json").toFile());
        assertThat(g.get("eos_token_id").asInt()).isEqualTo(50256);
    }

    /** What tokenizers' Tokenizer.from_file needs for GPT-2 (the hub's gpt2 tokenizer.json). */
    @Test
    void tokenizerJsonIsByteLevelBpeWithEndOfTextAsAddedToken() throws Exception {
        JsonNode t = new ObjectMapper().readTree(out.resolve("tokenizer.json").toFile());
        assertThat(t.get("version").asText()).isEqualTo("1.0");
        assertThat(t.get("normalizer").isNull()).isTrue();
        assertThat(t.at("/pre_tokenizer/type").asText()).isEqualTo("ByteLevel");
        assertThat(t.at("/pre_tokenizer/add_prefix_space").asBoolean()).isFalse();
        assertThat(t.at("/pre_tokenizer/use_regex").asBoolean()).isTrue();
        assertThat(t.at("/decoder/type").asText()).isEqualTo("ByteLevel");
        assertThat(t.at("/post_processor/type").asText()).isEqualTo("ByteLevel");
        assertThat(t.at("/model/type").asText()).isEqualTo("BPE");
        assertThat(t.at("/model/vocab").size()).isEqualTo(50257);
        assertThat(t.at("/model/vocab/<|endoftext|>").asInt()).isEqualTo(50256);
        assertThat(t.at("/model/vocab/\u0120the").asInt()).isEqualTo(262);
        assertThat(t.at("/model/merges").size()).isEqualTo(50000);
        assertThat(t.at("/model/merges/0").asText()).isEqualTo("\u0120 t");
        JsonNode added = t.get("added_tokens");
        assertThat(added.size()).isEqualTo(1);
        assertThat(added.get(0).get("id").asInt()).isEqualTo(50256);
        assertThat(added.get(0).get("content").asText()).isEqualTo("<|endoftext|>");
        assertThat(added.get(0).get("special").asBoolean()).isTrue();
    }

    @Test
    void theFormatModuleReadsTheFolderBackAsConverted() throws Exception {
        HubConfig config = HubConfig.read(out);
        assertThat(config).isEqualTo(HubConfig.openAi(TINY));
        SyntheticWeights weights = new SyntheticWeights(1, TINY);
        try (ShardedSafetensors st = ShardedSafetensors.open(out)) {
            List<TensorSpec> expected = HubNames.expected(TINY, 4L * E);
            assertThat(st.names()).containsExactlyElementsOf(expected.stream().map(TensorSpec::name).toList());
            // c_attn holds OpenAI's c_attn/w bytes unchanged: element (in 3, column E + 5) is K's output 5
            assertThat(st.floats("h.1.attn.c_attn.weight").get(3 * 3 * E + E + 5))
                    .isEqualTo(weights.value("model/h1/attn/c_attn/w", 3L * 3 * E + E + 5));
        }
        BpeModel fromJson = BpeFiles.readTokenizerJson(out.resolve("tokenizer.json"));
        assertThat(fromJson.tokensById()).isEqualTo(BpeFiles.readVocab(out.resolve("vocab.json")));
        assertThat(fromJson.merges()).hasSameSizeAs(BpeFiles.readMerges(out.resolve("merges.txt")));
    }
}
