package net.gpt2j.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end tokens a folder's generation_config.json sets: one id, a list, or nothing to say. */
class GenerationConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void theEndTokensAreOneIdOrAList() throws Exception {
        GenerationConfigFile.write(dir);
        assertThat(GenerationConfigFile.endTokens(dir)).hasValueSatisfying(ids -> assertThat(ids).containsExactly(50256));
        Files.writeString(dir.resolve(GenerationConfigFile.FILE), "{\"eos_token_id\": [50256, 198]}");
        assertThat(GenerationConfigFile.endTokens(dir)).hasValueSatisfying(ids -> assertThat(ids).containsExactly(50256, 198));
    }

    @Test
    void noFileOrNoFieldLeavesTheDefault() throws Exception {
        assertThat(GenerationConfigFile.endTokens(dir)).isEmpty();
        Files.writeString(dir.resolve(GenerationConfigFile.FILE), "{\"bos_token_id\": 50256, \"eos_token_id\": null}");
        assertThat(GenerationConfigFile.endTokens(dir)).isEmpty();
    }

    @Test
    void anythingElseIsRefusedNamingTheFileAndField() throws Exception {
        for (String value : new String[] {"\"end\"", "-1", "[50256, \"x\"]", "[]", "1.5"}) {
            Files.writeString(dir.resolve(GenerationConfigFile.FILE), "{\"eos_token_id\": " + value + "}");
            assertThatThrownBy(() -> GenerationConfigFile.endTokens(dir)).as(value).isInstanceOf(HubFormatException.class)
                    .hasMessageContaining(GenerationConfigFile.FILE + ": field 'eos_token_id' must be a token id or a list of them");
        }
    }
}
