package net.gpt2j.format.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeFilesTest {

    @TempDir
    Path dir;

    private static final BpeModel SMALL = new BpeModel(List.of("a", "b", "ab", "\u0120", "<|endoftext|>"),
            List.<String[]>of(new String[] {"a", "b"}));

    @Test
    void writtenFilesReadBackFromEitherSpelling() throws Exception {
        HubTokenizerFiles.write(SMALL, 16, dir);
        assertThat(BpeFiles.readVocab(dir.resolve("vocab.json"))).isEqualTo(SMALL.tokensById());
        assertThat(BpeFiles.readMerges(dir.resolve("merges.txt"))).containsExactly(new String[] {"a", "b"});
        assertThat(Files.readString(dir.resolve("merges.txt"))).isEqualTo("#version: 0.2\na b\n");
        BpeModel fromJson = BpeFiles.readTokenizerJson(dir.resolve("tokenizer.json"));
        assertThat(fromJson.tokensById()).isEqualTo(SMALL.tokensById());
        assertThat(fromJson.merges()).containsExactly(new String[] {"a", "b"});
    }

    /** The structure the tokenizers library reads for GPT2TokenizerFast (the hub's gpt2 tokenizer.json). */
    @Test
    void tokenizerJsonHasGpt2sByteLevelPipelineAndTheSpecialToken() throws Exception {
        HubTokenizerFiles.write(SMALL, 16, dir);
        JsonNode t = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile());
        assertThat(t.get("pre_tokenizer").get("type").asText()).isEqualTo("ByteLevel");
        assertThat(t.get("pre_tokenizer").get("add_prefix_space").asBoolean()).isFalse();
        assertThat(t.get("pre_tokenizer").get("use_regex").asBoolean()).isTrue();
        assertThat(t.get("decoder").get("type").asText()).isEqualTo("ByteLevel");
        assertThat(t.get("post_processor").get("type").asText()).isEqualTo("ByteLevel");
        assertThat(t.get("model").get("type").asText()).isEqualTo("BPE");
        assertThat(t.get("model").get("unk_token").isNull()).isTrue();
        JsonNode added = t.get("added_tokens").get(0);
        assertThat(added.get("id").asInt()).isEqualTo(4);
        assertThat(added.get("content").asText()).isEqualTo("<|endoftext|>");
        assertThat(added.get("special").asBoolean()).isTrue();
        JsonNode config = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(config.get("model_max_length").asInt()).isEqualTo(16);
        assertThat(config.get("eos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(new ObjectMapper().readTree(dir.resolve("special_tokens_map.json").toFile()).get("bos_token").asText())
                .isEqualTo("<|endoftext|>");
    }

    @Test
    void mergesAsPairsAreReadToo() throws Exception {
        Path f = Files.writeString(dir.resolve("tokenizer.json"), "{\"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"model\": "
                + "{\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}, \"merges\": [[\"a\", \"b\"]]}, "
                + "\"added_tokens\": [{\"id\": 3, \"content\": \"<|endoftext|>\"}]}");
        BpeModel m = BpeFiles.readTokenizerJson(f);
        assertThat(m.tokensById()).containsExactly("a", "b", "ab", "<|endoftext|>");
        assertThat(m.merges()).containsExactly(new String[] {"a", "b"});
    }

    @Test
    void anotherModelTypeOrHolesInTheIdsAreRefusedNamingTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("tokenizer.json"), "{\"pre_tokenizer\": {\"type\": \"ByteLevel\"}, "
                + "\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        assertThatThrownBy(() -> BpeFiles.readTokenizerJson(f)).hasMessageContaining(f.toString())
                .hasMessageContaining("'model.type'").hasMessageContaining("WordPiece");
        Path v = Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, \"b\": 2}");
        assertThatThrownBy(() -> BpeFiles.readVocab(v)).hasMessageContaining("vocab.json").hasMessageContaining("dense");
    }
}
