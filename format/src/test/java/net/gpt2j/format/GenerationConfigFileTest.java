package net.gpt2j.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a folder's generation_config.json sets for generation: typed, in the file's order, or refused naming the field. */
class GenerationConfigFileTest {

    @TempDir
    Path dir;

    private GenerationConfigFile.Settings withFile(String json) throws Exception {
        Files.writeString(dir.resolve(GenerationConfigFile.FILE), json);
        return GenerationConfigFile.settings(dir);
    }

    @Test
    void theEndTokensAreOneIdOrAList() throws Exception {
        GenerationConfigFile.write(dir);
        assertThat(GenerationConfigFile.settings(dir).endTokens()).hasValueSatisfying(ids -> assertThat(ids).containsExactly(50256));
        assertThat(withFile("{\"eos_token_id\": [50256, 198]}").endTokens())
                .hasValueSatisfying(ids -> assertThat(ids).containsExactly(50256, 198));
    }

    @Test
    void noFileOrNoFieldSetsNothing() throws Exception {
        GenerationConfigFile.Settings none = GenerationConfigFile.settings(dir);
        assertThat(none.values()).isEmpty();
        assertThat(none.file()).isEqualTo(dir.resolve(GenerationConfigFile.FILE));
        GenerationConfigFile.Settings nulls = withFile("{\"bos_token_id\": 50256, \"eos_token_id\": null, \"top_k\": null,"
                + " \"transformers_version\": \"5.18.0\", \"_from_model_config\": true, \"pad_token_id\": 50256}");
        assertThat(nulls.values()).isEmpty();
        assertThat(nulls.unsupported()).isEmpty();
        assertThat(nulls.endTokens()).isEmpty();
    }

    @Test
    void everyImplementedSettingIsReadTypedInTheFilesOrder() throws Exception {
        GenerationConfigFile.Settings s = withFile("{\"do_sample\": true, \"top_p\": 0.9, \"top_k\": 0, \"temperature\": 1,"
                + " \"max_new_tokens\": 40, \"max_length\": 60, \"min_new_tokens\": 2, \"min_length\": 5, \"num_beams\": 4,"
                + " \"num_return_sequences\": 2, \"repetition_penalty\": 1.2, \"no_repeat_ngram_size\": 3,"
                + " \"length_penalty\": 0.8, \"early_stopping\": \"never\", \"eos_token_id\": 198}");
        assertThat(s.values().keySet()).containsExactly("do_sample", "top_p", "top_k", "temperature", "max_new_tokens",
                "max_length", "min_new_tokens", "min_length", "num_beams", "num_return_sequences", "repetition_penalty",
                "no_repeat_ngram_size", "length_penalty", "early_stopping", "eos_token_id");
        assertThat(s.values()).containsEntry("do_sample", true).containsEntry("top_p", 0.9).containsEntry("top_k", 0)
                .containsEntry("temperature", 1.0).containsEntry("max_new_tokens", 40).containsEntry("min_length", 5)
                .containsEntry("repetition_penalty", 1.2).containsEntry("early_stopping", "never");
        assertThat(withFile("{\"early_stopping\": true}").values()).containsEntry("early_stopping", "true");
        assertThat(withFile("{\"early_stopping\": false}").values()).containsEntry("early_stopping", "false");
    }

    @Test
    void settingsHfAppliesAndThisProjectDoesNotAreReportedUnlessNeutral() throws Exception {
        GenerationConfigFile.Settings s = withFile("{\"typical_p\": 0.5, \"bad_words_ids\": [[1, 2]], \"typical_p_unknown\": 3,"
                + " \"epsilon_cutoff\": 0.0, \"num_beam_groups\": 1, \"renormalize_logits\": false, \"min_p\": null,"
                + " \"renormalize_logits_x\": true, \"forced_eos_token_id\": 50256, \"guidance_scale\": 1.0}");
        assertThat(s.unsupported()).containsExactly("typical_p=0.5", "bad_words_ids=[[1,2]]", "forced_eos_token_id=50256");
        assertThat(s.values()).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheFileAndField() throws Exception {
        String[][] cases = {
            {"\"eos_token_id\": \"end\"", "'eos_token_id' must be a token id or a list of them, got \"end\""},
            {"\"eos_token_id\": -1", "'eos_token_id' must be a token id or a list of them"},
            {"\"eos_token_id\": [50256, \"x\"]", "'eos_token_id' must be a token id or a list of them"},
            {"\"eos_token_id\": []", "'eos_token_id' must be a token id or a list of them"},
            {"\"eos_token_id\": 1.5", "'eos_token_id' must be a token id or a list of them"},
            {"\"top_k\": 5.5", "'top_k' must be an integer, got 5.5"},
            {"\"max_new_tokens\": \"40\"", "'max_new_tokens' must be an integer, got \"40\""},
            {"\"top_p\": \"0.9\"", "'top_p' must be a number, got \"0.9\""},
            {"\"do_sample\": 1", "'do_sample' must be true or false, got 1"},
            {"\"early_stopping\": \"sometimes\"", "'early_stopping' must be true, false or \"never\", got \"sometimes\""},
        };
        for (String[] c : cases) {
            Files.writeString(dir.resolve(GenerationConfigFile.FILE), "{" + c[0] + "}");
            assertThatThrownBy(() -> GenerationConfigFile.settings(dir)).as(c[0]).isInstanceOf(HubFormatException.class)
                    .hasMessage(dir.resolve(GenerationConfigFile.FILE) + ": field " + c[1]
                            + (c[1].contains(", got") ? "" : ", got " + c[0].substring(c[0].indexOf(": ") + 2).replace(" ", "")));
        }
    }

    @Test
    void aFileThatIsNotAJsonObjectIsRefused() throws Exception {
        Files.writeString(dir.resolve(GenerationConfigFile.FILE), "[1, 2]");
        assertThatThrownBy(() -> GenerationConfigFile.settings(dir)).isInstanceOf(HubFormatException.class)
                .hasMessage(dir.resolve(GenerationConfigFile.FILE) + " must hold a JSON object, got ARRAY");
        Files.writeString(dir.resolve(GenerationConfigFile.FILE), "{\"top_k\": ");
        assertThatThrownBy(() -> GenerationConfigFile.settings(dir)).isInstanceOf(HubFormatException.class)
                .hasMessageStartingWith(dir.resolve(GenerationConfigFile.FILE) + " is not valid JSON: ");
    }
}
