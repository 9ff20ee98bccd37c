package net.gpt2j.cli;

import static net.gpt2j.cli.Shell.gpt2;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.runtime.generate.InvalidGenerationSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A value no model or file could make right ({@code --max-new-tokens 0}) is a bad argument: status 2 and one
 * line naming the option as typed, not HF's field name ({@code max_new_tokens}) and status 1.
 */
class BadArgumentValuesTest {

    @TempDir
    static Path dir;

    /** generate's arguments as the runtime's GenerationConfig refuses them, and the line each gets. */
    static Stream<Arguments> generateSettings() {
        return Stream.of(
                Arguments.of("--max-new-tokens 0", "--max-new-tokens must be >= 1, got 0"),
                Arguments.of("--min-new-tokens -1", "--min-new-tokens must be >= 0, got -1"),
                Arguments.of("--num-beams 0", "--num-beams must be >= 1, got 0"),
                Arguments.of("--num-return-sequences 0", "--num-return-sequences must be >= 1, got 0"),
                Arguments.of("--num-beams 2 --num-return-sequences 3",
                        "--num-return-sequences (3) must be <= --num-beams (2) without sampling"),
                Arguments.of("--sample --num-beams 2", "--num-beams (2) > 1 with --sample (beam sampling) is not supported"),
                Arguments.of("--sample --temperature 0", "--temperature must be a finite number > 0, got 0.0"),
                Arguments.of("--sample --top-k -1", "--top-k must be >= 0 (0 turns it off), got -1"),
                Arguments.of("--sample --top-p 0", "--top-p must be in (0, 1], got 0.0"),
                Arguments.of("--repetition-penalty 0", "--repetition-penalty must be a finite number > 0, got 0.0"),
                Arguments.of("--no-repeat-ngram-size -1", "--no-repeat-ngram-size must be >= 0 (0 turns it off), got -1"),
                Arguments.of("--length-penalty NaN", "--length-penalty must be a finite number, got NaN"),
                Arguments.of("--early-stopping maybe", "--early-stopping must be false, true or never, got 'maybe'"),
                Arguments.of("--eos-token-id -2", "--eos-token-id must be token ids, or -1 alone (never stop early), got -2"),
                Arguments.of("--eos-token-id -1,5", "--eos-token-id must be token ids, or -1 alone (never stop early), got -1,5"),
                Arguments.of("--device gpu", "--device: unknown device 'gpu': expected auto, cpu or cuda"));
    }

    /** Checked before the model is looked for: this --model does not exist, and the argument is still what is named. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("generateSettings")
    void generateNamesTheOptionAndExits2(String arguments, String problem) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", dir.resolve("no-model").toString(), "--prompt", "hi"));
        args.addAll(List.of(arguments.split(" ")));
        Shell.Run run = gpt2(args.toArray(String[]::new));
        assertThat(run.err().lines()).containsExactly("gpt2 generate: error: " + problem + " (try 'gpt2 generate --help')");
        assertThat(run.exit()).isEqualTo(2);
    }

    private static CommandSpec generate() {
        return Gpt2.commandLine().getSubcommands().get("generate").getCommandSpec();
    }

    /** Each setting generate passes to GenerationConfig is named by a real option, so a refusal can name it. */
    @Test
    void everySettingGenerateSetsHasAnOption() {
        for (String setting : List.of("max_new_tokens", "min_new_tokens", "num_beams", "num_return_sequences", "length_penalty",
                "early_stopping", "no_repeat_ngram_size", "repetition_penalty", "do_sample", "temperature", "top_k", "top_p",
                "eos_token_id")) {
            assertThat(GenerationSettingOptions.option(setting, generate())).as(setting).isNotNull();
        }
    }

    /** max_length has no option (generate always sets max_new_tokens): a refusal of it keeps HF's name. */
    @Test
    void aSettingWithoutAnOptionKeepsItsMessage() {
        InvalidGenerationSetting e = new InvalidGenerationSetting("max_length must be >= 1, got 0", "max_length");
        assertThat(GenerationSettingOptions.usageError(e, generate())).hasMessage("max_length must be >= 1, got 0");
    }

    @Test
    void tokenizeGivenTextAndIdsExits2() {
        Shell.Run run = gpt2("tokenize", "--ids", "15496", "text");
        assertThat(run.err().lines()).containsExactly(
                "gpt2 tokenize: error: give either TEXT to encode or --ids to decode, not both (try 'gpt2 tokenize --help')");
        assertThat(run.exit()).isEqualTo(2);
    }

    @Test
    void downloadsTimeoutsAndSizeAreArguments() {
        Path models = dir.resolve("models");
        Shell.Run timeout = gpt2("download", "124M", "--dir", models.toString(), "--timeout", "0");
        assertThat(timeout.err().lines()).containsExactly(
                "gpt2 download: error: --timeout must be a positive number of seconds, got 0 (try 'gpt2 download --help')");
        assertThat(timeout.exit()).isEqualTo(2);
        Shell.Run idle = gpt2("download", "124M", "--dir", models.toString(), "--idle-timeout", "-5");
        assertThat(idle.err()).startsWith("gpt2 download: error: --idle-timeout must be a positive number of seconds, got -5");
        assertThat(idle.exit()).isEqualTo(2);
        Shell.Run size = gpt2("download", "999M", "--dir", models.toString());
        assertThat(size.err()).startsWith("gpt2 download: error: SIZE: unknown GPT-2 model size '999M'");
        assertThat(size.exit()).isEqualTo(2);
        assertThat(models).doesNotExist();
    }

    @Test
    void aValueALibraryRefusesNamesTheOptionAndExits2() {
        Shell.Run reader = gpt2("convert", dir.resolve("src").toString(), "--out", dir.resolve("out").toString(), "--reader", "tf");
        assertThat(reader.err().lines()).containsExactly(
                "gpt2 convert: error: --reader: unknown reader 'tf': expected java or tensorflow (try 'gpt2 convert --help')");
        assertThat(reader.exit()).isEqualTo(2);
        Shell.Run verify = gpt2("verify", "--device", "gpu", "--report-dir", dir.resolve("reports").toString());
        assertThat(verify.err()).startsWith("gpt2 verify: error: --device: unknown device 'gpu'");
        assertThat(verify.exit()).isEqualTo(2);
        Path work = dir.resolve("pipeline-work");
        Shell.Run pipeline = gpt2("pipeline", "--device", "gpu", "--work-dir", work.toString());
        assertThat(pipeline.err()).startsWith("gpt2 pipeline: error: --device: unknown device 'gpu'");
        assertThat(pipeline.exit()).isEqualTo(2);
        assertThat(work).as("refused before any step ran").doesNotExist();
    }

    @Test
    void fixtureHparamsThatCannotBeAModelNameTheOptions() {
        Path out = dir.resolve("fixture");
        Shell.Run heads = gpt2("fixture", "--seed", "1", "--n-head", "3", "--out", out.toString());
        assertThat(heads.err().lines()).containsExactly(
                "gpt2 fixture: error: --n-embd (64) must be divisible by --n-head (3) (try 'gpt2 fixture --help')");
        assertThat(heads.exit()).isEqualTo(2);
        Shell.Run layers = gpt2("fixture", "--seed", "1", "--n-layer", "0", "--out", out.toString());
        assertThat(layers.err()).startsWith("gpt2 fixture: error: --n-layer must be a positive integer, got 0");
        assertThat(layers.exit()).isEqualTo(2);
        assertThat(out).doesNotExist();
    }
}
