package net.gpt2j.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.golden.SyntheticWeights;
import net.gpt2j.kit.DynamicTestRunner.Outcome;
import net.gpt2j.kit.DynamicTestRunner.Status;
import net.gpt2j.kit.golden.GoldenFormatException;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 8: the golden format's gaps, each shown on the 5.18.0 recordings made for it
 * (min_new_tokens, eos_token_id lists, a 2^64-1 seed, a padded vocabulary) with a port wrong in that way.
 */
class FormatGapsTest {

    private static final String GAPS = GoldenData.FORMAT_GAP_GOLDENS.get(0);
    private static final String SEED_MAX = GoldenData.FORMAT_GAP_GOLDENS.get(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<Outcome> run(PortProvider provider, String file) {
        return DynamicTestRunner.run(GoldenTests.forProvider(provider).withTolerances(Tolerances.defaults())
                .withMarginLines(null).of(GoldenLoader.packaged(file)));
    }

    private static float[] first(SyntheticWeights w, String variable, int n) {
        float[] out = new float[n];
        w.fill(variable, 0, out, 0, n);
        return out;
    }

    private static Outcome one(List<Outcome> outcomes, String nameSuffix) {
        List<Outcome> hits = outcomes.stream().filter(o -> o.name().endsWith(nameSuffix)).toList();
        assertThat(hits).as("tests ending with " + nameSuffix).hasSize(1);
        return hits.get(0);
    }

    @Test
    void minNewTokensIsReadAndAPortThatIgnoresItIsCaughtStoppingEarly() {
        ModelGolden gaps = GoldenLoader.packaged(GAPS, ModelGolden.class);
        ModelGolden.GreedyCase c = gaps.greedy().get(0);
        assertThat(c.minNewTokens()).isEqualTo(10);
        assertThat(c.eosTokenIds()).containsExactly(14959);
        PortProvider base = ReplayPort.provider();
        // ignoring min_new_tokens, a port answers what HF answers without it: greedy[1] recorded exactly that
        // (same prompt, the same end token beside 50256, which this model never generates), stopping at step 7
        PortProvider ignoresMin = spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public int[][] greedy(GreedyRequest r) {
                if (r.minNewTokens() == 0 || r.eosTokenIds().length != 1) {
                    return inner.greedy(r);
                }
                return inner.greedy(new GreedyRequest(r.ids(), r.attentionMask(), r.maxNewTokens(), r.noRepeatNgramSize(),
                        r.repetitionPenalty(), new int[] {50256, r.eosTokenIds()[0]}, r.padTokenId(), 0));
            }
        };
        List<Outcome> all = run(ignoresMin, GAPS);

        Outcome o = one(all, "greedy[0] max_new_tokens=12 min_new_tokens=10 eos_token_id=14959");
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("greedy NOT OK: first divergence at step 7 (position 11): expected token 1631, got 14959");
        assertThat(run(base, GAPS)).filteredOn(x -> x.name().contains("min_new_tokens")).isNotEmpty()
                .allMatch(x -> x.status() == Status.PASSED);
    }

    @Test
    void aPortThatDoesNotDeclareMinNewTokensOrEosListsIsSkippedForThoseCasesNotBlamed() {
        PortProvider base = ReplayPort.provider();
        PortProvider oldPort = spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public Set<Capability> capabilities() {
                Set<Capability> s = EnumSet.copyOf(inner.capabilities());
                s.removeAll(Set.of(Capability.MIN_NEW_TOKENS, Capability.EOS_TOKEN_LIST));
                return s;
            }
        };
        List<Outcome> all = run(oldPort, GAPS);

        assertThat(one(all, "greedy[0] max_new_tokens=12 min_new_tokens=10 eos_token_id=14959").message())
                .isEqualTo("the port does not declare MIN_NEW_TOKENS");
        assertThat(one(all, "greedy[1] max_new_tokens=12 eos_token_id=[50256,14959]").message())
                .isEqualTo("the port does not declare EOS_TOKEN_LIST");
        assertThat(one(all, "greedy[2] max_new_tokens=12 min_new_tokens=9 eos_token_id=[50256,14959]").message())
                .isEqualTo("the port does not declare EOS_TOKEN_LIST, MIN_NEW_TOKENS");
        assertThat(all).filteredOn(x -> x.status() == Status.FAILED).isEmpty();
    }

    @Test
    void anEosListIsPassedWholeAndAPortReadingOnlyItsFirstIdIsCaughtRunningOn() {
        PortProvider base = ReplayPort.provider();
        PortProvider firstIdOnly = spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public int[][] greedy(GreedyRequest r) {
                int[] out = inner.greedy(r)[0];
                int[] ids = r.eosTokenIds();
                if (ids.length > 1 && out[out.length - 1] == ids[1] && out.length - r.ids()[0].length < r.maxNewTokens()) {
                    int[] longer = Arrays.copyOf(out, out.length + 1); // did not stop at the second id: one more token
                    longer[out.length] = 1631;
                    return new int[][] {longer};
                }
                return new int[][] {out};
            }
        };
        Outcome o = one(run(firstIdOnly, GAPS), "greedy[1] max_new_tokens=12 eos_token_id=[50256,14959]");

        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("greedy NOT OK: first divergence at step 8 (position 12): expected the end of the"
                + " output (the golden stopped after 8 new tokens), got token 1631");
    }

    @Test
    void aSeedOf2To64Minus1LoadsUnsignedAndRebuildsTheRecordedWeights() {
        ModelGolden g = GoldenLoader.packaged(SEED_MAX, ModelGolden.class);

        assertThat(g.seed()).isEqualTo(-1L);
        assertThat(Long.toUnsignedString(g.seed())).isEqualTo("18446744073709551615");
        assertThat(ModelSpec.synthetic(g.fixture(), g.seed(), g.hparams()).toString()).contains("seed 18446744073709551615");
        SyntheticWeights w = new SyntheticWeights(SyntheticWeights.parseSeed("18446744073709551615"), g.hparams());
        g.check().forEach((name, values) -> assertThat(first(w, name, values.length)).as(name).containsExactly(values));
        assertThat(run(ReplayPort.provider(), SEED_MAX)).isNotEmpty().allMatch(o -> o.status() == Status.PASSED);
    }

    @Test
    void aSeedOutsideUnsigned64BitIsRefusedNamingTheField() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(GoldenData.read(SEED_MAX));
        root.put("seed", new java.math.BigInteger("18446744073709551616"));
        Path file = dir.resolve("big-seed.golden.json");
        JSON.writeValue(file.toFile(), root);

        assertThatThrownBy(() -> GoldenLoader.load(file)).isInstanceOf(GoldenFormatException.class)
                .hasMessage(file + ": seed: expected an unsigned 64-bit integer in [0, 2^64), got 18446744073709551616");
        assertThatThrownBy(() -> SyntheticWeights.parseSeed("-1"))
                .hasMessage("seed must be an unsigned 64-bit integer, 0 to 18446744073709551615, got '-1'");
    }

    @Test
    void anUnknownFieldIsALoadErrorNotASilentlyIgnoredSetting() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(GoldenData.read(GAPS));
        ((ObjectNode) root.withArray("greedy").get(1)).put("min_length", 12);
        Path file = dir.resolve("tiny-more.golden.json");
        JSON.writeValue(file.toFile(), root);

        assertThatThrownBy(() -> GoldenLoader.load(file)).isInstanceOf(GoldenFormatException.class)
                .hasMessageStartingWith(file + ": greedy[1].min_length: unknown field; the kit reads [eos_token_id, input_ids,")
                .hasMessageEndingWith("here, and a setting it does not know would be ignored and the port blamed for the difference");
        List<Outcome> outcomes = DynamicTestRunner.run(GoldenTests.forProvider(ReplayPort.provider()).files(file));
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).status()).isEqualTo(Status.FAILED);
        assertThat(outcomes.get(0).message()).startsWith("cannot load golden file: " + file + ": greedy[1].min_length: unknown field");
    }

    @Test
    void aPaddedVocabularyLargerThanTheTokenizerLoadsAndAPortCuttingItToTheTokenizerFails() {
        ModelGolden g = GoldenLoader.packaged(GoldenData.PADDED_VOCAB_GOLDEN, ModelGolden.class);
        assertThat(g.hparams().nVocab()).isEqualTo(50304);
        assertThat(g.logits().get(0).lastFull()).hasSize(50304);
        SyntheticWeights w = new SyntheticWeights(g.seed(), g.hparams());
        g.check().forEach((name, values) -> assertThat(first(w, name, values.length)).as(name).containsExactly(values));
        assertThat(run(ReplayPort.provider(), GoldenData.PADDED_VOCAB_GOLDEN)).isNotEmpty().allMatch(o -> o.status() == Status.PASSED);

        PortProvider base = ReplayPort.provider();
        PortProvider tokenizerSized = spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public float[][][] logits(int[][] ids, int[][] mask) {
                float[][][] l = inner.logits(ids, mask);
                for (int p = 0; p < l[0].length; p++) {
                    l[0][p] = Arrays.copyOf(l[0][p], 50257);
                }
                return l;
            }
        };
        Outcome o = one(run(tokenizerSized, GoldenData.PADDED_VOCAB_GOLDEN), "logits[0] prompt_len=4");
        assertThat(o.message()).isEqualTo("logits NOT OK: position 0 has 50257 logits, expected 50304 (the vocabulary)");
    }
}
