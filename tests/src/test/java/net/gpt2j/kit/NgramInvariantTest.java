package net.gpt2j.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.DynamicTestRunner.Outcome;
import net.gpt2j.kit.DynamicTestRunner.Status;
import net.gpt2j.kit.check.CheckResult;
import net.gpt2j.kit.check.NgramInvariantCheck;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;
import org.junit.jupiter.api.Test;

/**
 * The golden-free no-repeat-n-gram cases: a port whose ban is HF's passes them, a port whose ban
 * ignores the prompt fails them naming the step, token, n-gram and where it already occurred.
 */
class NgramInvariantTest {

    private static final String TINY_FILE = GoldenData.modelGolden("4.57.6", "tiny");
    private static final ModelGolden TINY = GoldenLoader.packaged(TINY_FILE, ModelGolden.class);
    private static final ModelGolden ODD_428 = GoldenLoader.packaged(GoldenData.modelGolden("4.28.1", "odd"), ModelGolden.class);
    private static final String INVARIANT = " no_repeat_ngram invariant (adversarial prompt)";

    private static Stream<org.junit.jupiter.api.DynamicNode> tests(Gpt2Port port, ModelGolden... files) {
        return GoldenTests.forProvider(spec -> port).withTolerances(Tolerances.defaults()).of(files);
    }

    private static List<Outcome> invariantOutcomes(Gpt2Port port, ModelGolden... files) {
        return DynamicTestRunner.run(tests(port, files)).stream().filter(o -> o.name().endsWith(INVARIANT)).toList();
    }

    @Test
    void aPortWhoseBanCoversPromptAndOutputPassesEveryInvariantCaseOfEveryModelGolden() {
        List<ModelGolden> all = new ArrayList<>();
        for (String v : GoldenData.HF_VERSIONS) {
            for (String fixture : GoldenData.FIXTURES) {
                all.add(GoldenLoader.packaged(GoldenData.modelGolden(v, fixture), ModelGolden.class));
            }
        }
        List<Outcome> outcomes = invariantOutcomes(new NgramRulePort(true), all.toArray(ModelGolden[]::new));

        // per file: greedy 1, 4, 7, 10, 13 and beam 1, 2, 5, 7, 8, 11, 13, 14, 17 set no_repeat_ngram_size
        assertThat(outcomes).hasSize(4 * 14);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.name() + ": " + o.message()).isEqualTo(Status.PASSED));
    }

    @Test
    void aBanThatIgnoresThePromptFailsTheGreedyCaseNamingStepTokenNgramAndThePromptPosition() {
        int[] prompt = TINY.greedy().get(0).outputIds(); // the plain greedy run: 4 prompt ids, then runs of repeats
        int last = prompt[prompt.length - 1];
        int firstPair = firstEndOf(prompt, last, last);
        assertThat(firstPair).as("the adversarial prompt repeats its last token").isLessThan(prompt.length - 1);

        Outcome o = DynamicTestRunner.one(tests(new NgramRulePort(false), TINY), "greedy[1]" + INVARIANT);

        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("ngram_invariant NOT OK: greedy with no_repeat_ngram_size=2 after a " + prompt.length
                + "-token adversarial prompt: step 0 (position " + prompt.length + ") generated token " + last
                + " completing the n-gram [" + last + ", " + last + "] that already ends at position " + firstPair + " (in the prompt)")
                .contains("\n  new tokens: [" + last + ", ");
        assertThat(DynamicTestRunner.one(tests(new NgramRulePort(true), TINY), "greedy[1]" + INVARIANT).status())
                .isEqualTo(Status.PASSED);
    }

    @Test
    void aBanThatIgnoresThePromptFailsEveryInvariantCase() {
        List<Outcome> outcomes = invariantOutcomes(new NgramRulePort(false), TINY, ODD_428);

        assertThat(outcomes).hasSize(28);
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.status()).as(o.name()).isEqualTo(Status.FAILED);
            assertThat(o.message()).as(o.name()).contains("step 0 (position ").contains("(in the prompt)");
        });
        assertThat(outcomes.stream().filter(o -> o.name().contains("beam[")))
                .allSatisfy(o -> assertThat(o.message()).contains(", sequence 0: step 0"));
    }

    @Test
    void beamPaddingAfterTheEndTokenRepeatsYetIsNotCheckedWhileTheEndTokenItselfIs() {
        ModelGolden.BeamCase c = TINY.beam().get(5); // no_repeat_ngram_size=2, eos_token_id=1631
        assertThat(c.eosTokenId()).isNotNull();
        BeamRequest[] seen = new BeamRequest[1];
        BeamResult[] returned = new BeamResult[1];
        Gpt2Port recording = new ForwardingPort(new NgramRulePort(true)) {
            @Override
            public BeamResult beam(BeamRequest r) {
                seen[0] = r;
                returned[0] = inner.beam(r);
                return returned[0];
            }
        };

        Outcome o = DynamicTestRunner.one(tests(recording, TINY), "beam[5]" + INVARIANT);

        assertThat(o.status()).as(o.message()).isEqualTo(Status.PASSED);
        assertThat(seen[0].eosTokenId()).hasValue(c.eosTokenId());
        assertThat(seen[0].noRepeatNgramSize()).hasValue(2);
        int[] padded = returned[0].sequences()[1]; // ends at step 2, then 50256 to the end
        int end = seen[0].ids().length + 3;
        assertThat(padded[end - 1]).isEqualTo(c.eosTokenId());
        assertThat(Arrays.copyOfRange(padded, end, padded.length)).containsOnly(50256).hasSizeGreaterThan(2);

        // without its end token the same row runs to its last position, and the repeats in the padding then count
        int[][] rows = Arrays.stream(returned[0].sequences()).map(int[]::clone).toArray(int[][]::new);
        rows[1][end - 1] = 50256;
        CheckResult r = NgramInvariantCheck.beam(seen[0].ids(), new BeamResult(rows, returned[0].scores()), 2,
                seen[0].maxNewTokens(), rows.length, c.eosTokenId());
        assertThat(r.ok()).isFalse();
        assertThat(r.report()).contains("sequence 1: step " + (end + 1 - seen[0].ids().length) + " (position " + (end + 1)
                + ") generated token 50256 completing the n-gram [50256, 50256] that already ends at position " + end
                + " (generated)");
    }

    @Test
    void withoutAnEosTokenIdHfsDefault50256EndsAHypothesisAndItsPaddingIsNotChecked() {
        ModelGolden.BeamCase c = TINY.beam().get(1); // no_repeat_ngram_size=2, no eos_token_id
        assertThat(c.eosTokenId()).isNull();
        BeamResult[] returned = new BeamResult[1];
        Gpt2Port recording = new ForwardingPort(new NgramRulePort(true)) {
            @Override
            public BeamResult beam(BeamRequest r) {
                returned[0] = inner.beam(r);
                return returned[0];
            }
        };

        Outcome o = DynamicTestRunner.one(tests(recording, TINY), "beam[1]" + INVARIANT);

        assertThat(o.status()).as(o.message()).isEqualTo(Status.PASSED);
        int[] row = returned[0].sequences()[2];
        assertThat(Arrays.copyOfRange(row, row.length - 3, row.length)).as("ended with 50256, padded with 50256")
                .containsOnly(50256);
    }

    @Test
    void theAdversarialPromptIsThePlainGreedyOutputLeftTruncatedToLeaveRoomForEightNewTokens() {
        // odd has n_ctx 48; its plain greedy[3] output is 22 + 24 = 46 ids, so only the last 40 fit before 8 new tokens
        int[] plain = ODD_428.greedy().get(3).outputIds();
        GreedyRequest[] seen = new GreedyRequest[1];
        Gpt2Port recording = new ForwardingPort(new NgramRulePort(true)) {
            @Override
            public int[][] greedy(GreedyRequest r) {
                seen[0] = r;
                return inner.greedy(r);
            }
        };

        Outcome o = DynamicTestRunner.one(tests(recording, ODD_428), "greedy[4]" + INVARIANT);

        assertThat(o.status()).as(o.message()).isEqualTo(Status.PASSED);
        assertThat(seen[0].maxNewTokens()).isEqualTo(8);
        assertThat(seen[0].ids()[0]).containsExactly(Arrays.copyOfRange(plain, plain.length - 40, plain.length));
        assertThat(seen[0].noRepeatNgramSize()).hasValue(2);
        assertThat(seen[0].repetitionPenalty()).isEmpty();
        assertThat(seen[0].eosTokenId()).isEmpty();
    }

    @Test
    void withoutAPlainGreedyCaseForThatPromptTheInvariantCaseIsSkippedWithTheReason() {
        List<ModelGolden.GreedyCase> noPlain = TINY.greedy().stream()
                .filter(c -> c.noRepeatNgramSize() != null || c.repetitionPenalty() != null || c.eosTokenId() != null).toList();
        ModelGolden stripped = new ModelGolden(TINY.name(), TINY.recordedWith(), TINY.fixture(), TINY.seed(), TINY.hparams(),
                TINY.check(), List.of(), noPlain, TINY.beam(), List.of(), List.of(), List.of());

        Outcome o = DynamicTestRunner.one(tests(new NgramRulePort(true), stripped), "beam[7]" + INVARIANT);

        assertThat(o.status()).isEqualTo(Status.SKIPPED);
        assertThat(o.message()).isEqualTo("no plain greedy case (same input_ids, no no_repeat_ngram_size, repetition_penalty"
                + " or eos_token_id) in " + TINY_FILE + " to build the adversarial prompt from");
    }

    @Test
    void aPortWithoutNoRepeatNgramSkipsTheInvariantCases() {
        Gpt2Port greedyOnly = new ForwardingPort(new NgramRulePort(true)) {
            @Override
            public Set<Capability> capabilities() {
                return EnumSet.of(Capability.GREEDY, Capability.BEAM, Capability.BEAM_LEGACY_SCORING, Capability.EOS_STOP);
            }
        };

        List<Outcome> outcomes = invariantOutcomes(greedyOnly, TINY);

        assertThat(outcomes).hasSize(14).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(Status.SKIPPED);
            assertThat(o.message()).isEqualTo("the port does not declare NO_REPEAT_NGRAM");
        });
    }

    @Test
    void theCheckRefusesRowsThatAreNotPromptPlusNewTokens() {
        int[] prompt = {5, 6, 7};
        assertThat(NgramInvariantCheck.greedy(prompt, new int[] {5, 6, 8, 1, 2}, 2, 2, 50256).report())
                .contains("the output does not start with the prompt");
        assertThat(NgramInvariantCheck.greedy(prompt, new int[] {5, 6, 7, 1}, 2, 2, 50256).report())
                .contains("only 1 new tokens of max_new_tokens=2 and no end token 50256");
        assertThat(NgramInvariantCheck.greedy(prompt, new int[] {5, 6, 7, 50256}, 2, 2, 50256).ok()).isTrue();
        assertThat(NgramInvariantCheck.greedy(prompt, new int[] {5, 6, 7, 1, 2, 3}, 2, 2, 50256).report())
                .contains("3 new tokens, more than max_new_tokens=2");
        assertThat(NgramInvariantCheck.beam(prompt, new BeamResult(new int[][] {{5, 6, 7, 1}}, new double[] {-1}), 2, 2, 2, 50256)
                .report()).contains("expected 2 sequences, the port returned 1");
    }

    @Test
    void aRepeatWithinTheGeneratedTokensIsCalledGeneratedAndLongerNgramsAreCompared() {
        // trigram [1, 2, 3] ends at position 4 (generated) and again at 8 (step 6); [7, 1, 2] and friends are new
        CheckResult r = NgramInvariantCheck.greedy(new int[] {9, 7}, new int[] {9, 7, 1, 2, 3, 4, 1, 2, 3}, 3, 7, 50256);

        assertThat(r.ok()).isFalse();
        assertThat(r.report()).contains("step 6 (position 8) generated token 3 completing the n-gram [1, 2, 3] that already ends"
                + " at position 4 (generated)");
        assertThat(NgramInvariantCheck.greedy(new int[] {9, 7}, new int[] {9, 7, 1, 2, 3, 4, 1, 2, 4}, 3, 7, 50256).ok()).isTrue();
    }

    /** The first position at which the bigram {@code [a, b]} ends, or -1. */
    private static int firstEndOf(int[] row, int a, int b) {
        for (int q = 1; q < row.length; q++) {
            if (row[q - 1] == a && row[q] == b) {
                return q;
            }
        }
        return -1;
    }
}
