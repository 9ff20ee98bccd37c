package net.gpt2j.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitRunnerReplayTest {

    @TempDir
    Path reports;

    @Test
    void replayingTheGoldensPassesEveryPackagedCaseAndSkipsOnlyTheRealWeightOnes() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        KitResult result = KitRunner.forProvider(ReplayPort.provider())
                .tolerances(Tolerances.defaults())
                .reportDir(reports)
                .out(new PrintStream(console, true, StandardCharsets.UTF_8))
                .run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.success()).isTrue();
        // 4 model goldens: 5 logits, 18 greedy (15 with a log-prob), 18 beam, 1 batch, 4 warpers, 1 perplexity each;
        // format gaps: tiny 1 logits, 6 greedy, 4 beam; seed-max 2 logits, 2 greedy (both with a log-prob), 1 beam;
        // padded vocabulary: 2 logits, 2 greedy (both with a log-prob), 1 beam
        assertThat(result.byKind().get("logits").passed()).isEqualTo(20 + 3 + 2);
        assertThat(result.byKind().get("greedy").passed()).isEqualTo(72 + 8 + 2);
        assertThat(result.byKind().get("sequence_logprob").passed()).isEqualTo(60 + 2 + 2);
        assertThat(result.byKind().get("beam").passed()).isEqualTo(72 + 5 + 1);
        assertThat(result.byKind().get("batch_greedy").passed()).isEqualTo(4);
        assertThat(result.byKind().get("warpers").passed()).isEqualTo(16);
        assertThat(result.byKind().get("perplexity").passed()).isEqualTo(4);
        // golden-free: 5 greedy and 9 beam cases per model golden set no_repeat_ngram_size
        assertThat(result.byKind().get("ngram_invariant")).isEqualTo(new KitResult.Counts(56, 56, 0, 0));
        assertThat(result.byKind().get("activations").passed()).isEqualTo(2);
        assertThat(result.byKind().get("tokenizer").passed()).isEqualTo(99);
        assertThat(result.byKind().get("decode").passed()).isEqualTo(99);
        assertThat(result.skipped()).isEqualTo(9);
        assertThat(result.skipReasons().keySet()).allMatch(r -> r.contains("-Dgpt2.checkpoint=DIR") || r.contains("wikitext"));

        String md = Files.readString(reports.resolve("kit-report.md"));
        assertThat(md).contains("**OK**").contains("| beam | 78 | 78 | 0 | 0 | ").contains("| ngram_invariant | 56 | 56 | 0 | 0 | - |")
                .contains("## Skipped");
        assertThat(result.summaryTable().lines()).anyMatch(l -> l.matches("ngram_invariant\\s+56\\s+56\\s+0\\s+0\\s+-"));
        String xml = Files.readString(reports.resolve(JUnitXmlReport.FILE_NAME));
        assertThat(xml).contains("hf-4.57.6/tiny \u203a beam[3] num_beams=3 length_penalty=2.0 early_stopping=true");
        assertThat(xml).contains("hf-4.28.1/odd \u203a beam[17] no_repeat_ngram invariant (adversarial prompt)");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("kind").contains("ngram_invariant").contains("total")
                .contains("OK: report in");
    }

    @Test
    void aPortWithoutCapabilitiesIsSkippedEverywhereAndNeverCountsAsPassing() {
        PortProvider nothing = spec -> () -> Set.of();
        KitResult result = KitRunner.forProvider(nothing).reportDir(reports)
                .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(result.passed()).isZero();
        assertThat(result.failed()).isZero();
        assertThat(result.skipped()).isEqualTo(result.total()).isEqualTo(414 + 7 + 99 + 18);
        assertThat(result.success()).as("nothing passed, so nothing was shown").isFalse();
        assertThat(result.skipReasons()).containsKey("the port does not declare LOGITS")
                .containsKey("the port does not declare BEAM_LEGACY_SCORING")
                .containsKey("the port does not declare GREEDY, NO_REPEAT_NGRAM");
        assertThat(result.byKind().get("ngram_invariant")).isEqualTo(new KitResult.Counts(56, 0, 0, 56));
    }

    @Test
    void aProviderThatCannotBuildTheModelFailsEveryCaseOfItWithItsMessage() {
        PortProvider broken = spec -> {
            throw new IllegalArgumentException("no weights for " + spec.name());
        };
        KitResult result = KitRunner.forProvider(broken).reportDir(reports)
                .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(result.passed()).isZero();
        assertThat(result.failed()).isEqualTo(result.total() - 9);
        assertThat(result.failures()).allMatch(f -> f.message().contains("the port provider failed for"));
        assertThat(result.success()).isFalse();
    }
}
