package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate takes what its options leave unsaid from the folder's generation_config.json, as HF's
 * generate() does: the file's settings give the same output as the same options, an option typed on
 * the command line overrides the file, and a bad or unimplemented setting is named with its file.
 */
class FolderGenerationSettingsTest {

    @TempDir
    static Path dir;

    private static Path plain;
    private static final String PROMPT = "Every effort moves you"; // 4 tokens; greedy: 1631 1631 1631 ... (hf-4.57.6/tiny)

    @BeforeAll
    static void fixture() {
        plain = dir.resolve("tiny-converted");
        Shell.Run fixture = Shell.gpt2("fixture", "--seed", "1", "--n-layer", "2", "--n-embd", "64", "--n-head", "4", "--n-ctx", "64",
                "--out", dir.resolve("tiny").toString());
        assertThat(fixture.exit()).as(fixture.err()).isZero();
        Shell.Run convert = Shell.gpt2("convert", dir.resolve("tiny").toString(), "--out", plain.toString());
        assertThat(convert.exit()).as(convert.err()).isZero();
    }

    /** A copy of the converted folder whose generation_config.json is {@code json}. */
    private static Path folderWith(String name, String json) throws Exception {
        Path folder = TestFolders.copyOf(plain, dir.resolve(name));
        Files.writeString(folder.resolve("generation_config.json"), json);
        return folder;
    }

    private static Shell.Run generate(Path folder, String... options) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", folder.toString(), "--prompt", PROMPT, "--ids",
                "--device", "cpu"));
        args.addAll(List.of(options));
        return Shell.gpt2(args.toArray(String[]::new));
    }

    private static String ids(Shell.Run run) {
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out();
    }

    @Test
    void maxNewTokensFromTheFileUnlessTheOptionIsGiven() throws Exception {
        Path folder = folderWith("max-new", "{\"eos_token_id\": 50256, \"max_new_tokens\": 2}");
        Shell.Run run = generate(folder);
        assertThat(ids(run)).endsWith("[6109, 3626, 6100, 345, 1631, 1631]\n");
        assertThat(run.err()).contains("gpt2 generate: from " + folder.resolve("generation_config.json")
                + ": max_new_tokens=2 (options given here override it)");
        assertThat(ids(generate(folder, "--max-new-tokens", "3"))).endsWith("[6109, 3626, 6100, 345, 1631, 1631, 1631]\n");
        // the option at its default value, typed, still overrides the file
        assertThat(ids(generate(folder, "--max-new-tokens", "32"))).isEqualTo(ids(generate(plain)));
    }

    @Test
    void maxLengthCountsThePromptAndGivesWayToMaxNewTokens() throws Exception {
        assertThat(ids(generate(folderWith("max-length", "{\"max_length\": 7}"))))
                .endsWith("[6109, 3626, 6100, 345, 1631, 1631, 1631]\n");
        assertThat(ids(generate(folderWith("both-lengths", "{\"max_length\": 7, \"max_new_tokens\": 1}"))))
                .endsWith("[6109, 3626, 6100, 345, 1631]\n");
        Path full = folderWith("max-length-full", "{\"max_length\": 4}");
        Shell.Run refused = generate(full);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().strip()).endsWith("\ngpt2 generate: error: " + full.resolve("generation_config.json")
                + " sets max_length 4 (prompt and new tokens), but the prompt is 4 tokens: nothing is left to generate"
                + " (HuggingFace refuses this too); give --max-new-tokens");
        assertThat(ids(generate(full, "--max-new-tokens", "1"))).endsWith("[6109, 3626, 6100, 345, 1631]\n");
        Path beyond = folderWith("beyond-n-ctx", "{\"max_length\": 100}"); // the fixture's n_ctx is 64
        Shell.Run tooLong = generate(beyond);
        assertThat(tooLong.exit()).isEqualTo(1);
        assertThat(tooLong.err().strip()).endsWith("\ngpt2 generate: error: prompt of 4 tokens plus 96 new tokens exceeds the"
                + " model's n_ctx of 64 (max_length from " + beyond.resolve("generation_config.json") + "; --max-new-tokens overrides it)");
    }

    @Test
    void minLengthBansTheEndTokenAsMinNewTokensDoes() throws Exception {
        // 1631 is the first greedy token: as an end token it ends the row at once, unless banned
        Path ends = folderWith("ends-at-1631", "{\"eos_token_id\": [50256, 1631], \"max_new_tokens\": 6}");
        assertThat(ids(generate(ends))).endsWith("[6109, 3626, 6100, 345, 1631]\n");
        Path banned = folderWith("min-length", "{\"eos_token_id\": [50256, 1631], \"max_new_tokens\": 6, \"min_length\": 7}");
        String fromFile = ids(generate(banned));
        assertThat(fromFile).isEqualTo(ids(generate(ends, "--min-new-tokens", "3")));
        assertThat(fromFile).isNotEqualTo(ids(generate(ends)));
    }

    @Test
    void samplingAndBeamsFromTheFileEqualTheSameOptions() throws Exception {
        Path sampling = folderWith("sampling", "{\"do_sample\": true, \"top_k\": 20, \"top_p\": 0.9, \"temperature\": 1.3,"
                + " \"max_new_tokens\": 12}");
        String sampled = ids(generate(sampling, "--seed", "5"));
        assertThat(sampled).isEqualTo(ids(generate(plain, "--sample", "--top-k", "20", "--top-p", "0.9", "--temperature", "1.3",
                "--max-new-tokens", "12", "--seed", "5")));
        assertThat(sampled).isNotEqualTo(ids(generate(plain, "--max-new-tokens", "12")));
        assertThat(generate(sampling).err()).contains("gpt2 generate: seed "); // sampling with a drawn seed says which
        assertThat(ids(generate(sampling, "--no-sample"))).isEqualTo(ids(generate(plain, "--max-new-tokens", "12")));

        Path beams = folderWith("beams", "{\"num_beams\": 3, \"num_return_sequences\": 2, \"length_penalty\": 0.7,"
                + " \"early_stopping\": true, \"no_repeat_ngram_size\": 2, \"repetition_penalty\": 1.3, \"max_new_tokens\": 8}");
        String beamed = ids(generate(beams));
        assertThat(beamed).isEqualTo(ids(generate(plain, "--num-beams", "3", "--num-return-sequences", "2", "--length-penalty", "0.7",
                "--early-stopping", "true", "--no-repeat-ngram-size", "2", "--repetition-penalty", "1.3", "--max-new-tokens", "8")));
        assertThat(beamed.lines().filter(l -> l.startsWith("[")).count()).isEqualTo(2);
        // options override the file one by one: greedy again, one row
        assertThat(ids(generate(beams, "--num-beams", "1", "--num-return-sequences", "1")))
                .isEqualTo(ids(generate(plain, "--no-repeat-ngram-size", "2", "--repetition-penalty", "1.3", "--max-new-tokens", "8")));
    }

    @Test
    void aSettingTheRuntimeRefusesNamesTheFileItCameFrom() throws Exception {
        Path badTopP = folderWith("bad-top-p", "{\"do_sample\": true, \"top_p\": 2.0}");
        Shell.Run refused = generate(badTopP);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("gpt2 generate: error: top_p must be in (0, 1], got 2.0 (top_p from "
                + badTopP.resolve("generation_config.json") + "; an option on the command line overrides it)");
        assertThat(generate(badTopP, "--top-p", "0.5").exit()).isZero();

        Path twoBeams = folderWith("two-beams", "{\"num_beams\": 2}");
        Shell.Run mixed = generate(twoBeams, "--num-return-sequences", "3");
        assertThat(mixed.exit()).isEqualTo(1);
        assertThat(mixed.err().strip()).isEqualTo("gpt2 generate: error: --num-return-sequences (3) must be <= num_beams (2)"
                + " without sampling (num_beams from " + twoBeams.resolve("generation_config.json")
                + "; an option on the command line overrides it)");
        // the same mistake in options alone stays a usage error naming the options
        Shell.Run usage = generate(plain, "--num-beams", "2", "--num-return-sequences", "3");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("--num-return-sequences (3) must be <= --num-beams (2) without sampling");
        // and so does one that involves an option left at its default, once the folder has been read
        Shell.Run untyped = generate(plain, "--num-return-sequences", "3");
        assertThat(untyped.exit()).isEqualTo(2);
        assertThat(untyped.err()).contains("--num-return-sequences (3) must be <= --num-beams (1) without sampling");
        assertThat(generate(folderWith("four-beams", "{\"num_beams\": 4}"), "--num-return-sequences", "3").exit()).isZero();
    }

    @Test
    void aSettingHfAppliesAndThisDoesNotIsWarnedAbout() throws Exception {
        Path folder = folderWith("typical", "{\"typical_p\": 0.5, \"max_new_tokens\": 2, \"renormalize_logits\": false}");
        Shell.Run run = generate(folder);
        assertThat(ids(run)).endsWith("[6109, 3626, 6100, 345, 1631, 1631]\n");
        assertThat(run.err()).contains("gpt2 generate: warning: " + folder.resolve("generation_config.json")
                + " sets typical_p=0.5, which HuggingFace's generate() applies and gpt2 does not implement: ignored")
                .doesNotContain("renormalize_logits");
    }

    @Test
    void jsonSaysWhichSettingsRanAndWhichTheFileGave() throws Exception {
        Path folder = folderWith("json", "{\"num_beams\": 2, \"max_new_tokens\": 3, \"eos_token_id\": [50256, 7]}");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var settings = mapper.readTree(ids(generate(folder, "--json"))).get("settings");
        assertThat(settings.get("num_beams").asInt()).isEqualTo(2);
        assertThat(settings.get("max_new_tokens").asInt()).isEqualTo(3);
        assertThat(settings.get("early_stopping").isBoolean()).isTrue();
        assertThat(settings.get("eos_token_id").toString()).isEqualTo("[50256,7]");
        assertThat(settings.get("from_generation_config").toString()).isEqualTo("[\"num_beams\",\"max_new_tokens\",\"eos_token_id\"]");
        var typed = mapper.readTree(ids(generate(folder, "--json", "--max-new-tokens", "4", "--eos-token-id", "5"))).get("settings");
        assertThat(typed.get("max_new_tokens").asInt()).isEqualTo(4);
        assertThat(typed.get("eos_token_id").toString()).isEqualTo("[5]");
        assertThat(typed.get("from_generation_config").toString()).isEqualTo("[\"num_beams\"]");
    }

    @Test
    void gpt2sOwnFileSaysNothingOnStderr() {
        Shell.Run run = generate(plain, "--max-new-tokens", "2");
        assertThat(ids(run)).endsWith("[6109, 3626, 6100, 345, 1631, 1631]\n");
        assertThat(run.err()).doesNotContain(" from ").doesNotContain("warning");
    }
}
