package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import net.gpt2j.cli.port.RuntimePort;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.Hparams;
import net.gpt2j.kit.BeamRequest;
import net.gpt2j.kit.BeamResult;
import net.gpt2j.kit.Capability;
import net.gpt2j.kit.Gpt2Port;
import net.gpt2j.kit.GreedyRequest;
import net.gpt2j.kit.WarpedDistribution;
import net.gpt2j.runtime.generate.LogitsProcessor;
import net.gpt2j.runtime.generate.NoRepeatNGramProcessor;
import net.gpt2j.runtime.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The harness has teeth: each classic porting mistake, planted in this runtime, makes the kit fail
 * with a message that says what and where; the weight and forward-pass mistakes are localised to
 * the probe where they were made, with the matching hint, on every activations fixture.
 */
class PlantedMistakesAreCaughtTest {

    private static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);
    private static final Hparams ODD = new Hparams(50257, 48, 48, 3, 3);

    private static Hparams hparams(String fixture) {
        return fixture.equals("tiny") ? TINY : ODD;
    }

    private static long seed(String fixture) {
        return fixture.equals("tiny") ? 1 : 20191105;
    }

    private static String activationsReport(Map<String, MappedTensor> weights, String fixture, ModelConfig config) {
        try (RuntimePort port = PlantedMistakes.port(weights, hparams(fixture), config)) {
            Map<String, String> results = PlantedMistakes.run(port, "activations/" + fixture + ".activations.json");
            List<String> failures = PlantedMistakes.failuresOf(results, "");
            assertThat(failures).as("the planted mistake must fail the activations check").hasSize(1);
            return failures.get(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void correctRuntimePassesTheActivationsGolden(String fixture) {
        try (RuntimePort port = PlantedMistakes.port(PlantedMistakes.weights(seed(fixture), hparams(fixture)), hparams(fixture), ModelConfig.DEFAULT)) {
            Map<String, String> results = PlantedMistakes.run(port, "activations/" + fixture + ".activations.json");
            assertThat(results).isNotEmpty();
            assertThat(PlantedMistakes.failuresOf(results, "")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void qkvSplitAlongTheWrongAxisIsLocalisedToAttnQWithTheSplitHint(String fixture) {
        String report = activationsReport(PlantedMistakes.qkvSplitOnWrongAxis(seed(fixture), hparams(fixture)), fixture, ModelConfig.DEFAULT);
        assertThat(report).contains("first divergent probe h0.attn.q").contains("c_attn split or transpose");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void untransposedAttentionProjectionIsLocalisedToAttnWithTheLayoutHint(String fixture) {
        String report = activationsReport(PlantedMistakes.attnProjUntransposed(seed(fixture), hparams(fixture)), fixture, ModelConfig.DEFAULT);
        assertThat(report).contains("first divergent probe h0.attn ").contains("c_proj's layout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void erfGeluIsLocalisedToMlpWithTheGeluHint(String fixture) {
        String report = activationsReport(PlantedMistakes.weights(seed(fixture), hparams(fixture)), fixture,
                new ModelConfig(1e-5, ModelConfig.Activation.GELU_ERF));
        assertThat(report).contains("first divergent probe h0.mlp ").contains("GELU variant");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void layerNormEpsilon1e12IsLocalisedToLn1WithTheEpsHint(String fixture) {
        String report = activationsReport(PlantedMistakes.weights(seed(fixture), hparams(fixture)), fixture,
                new ModelConfig(1e-12, ModelConfig.Activation.GELU_TANH));
        assertThat(report).contains("first divergent probe h0.ln_1 ").contains("eps");
    }

    @Test
    void qkvSplitOnTheWrongAxisAlsoFailsLogitsNamingPositionTokenAndValues() {
        try (RuntimePort port = PlantedMistakes.port(PlantedMistakes.qkvSplitOnWrongAxis(1, TINY), TINY, ModelConfig.DEFAULT)) {
            List<String> failures = PlantedMistakes.failuresOf(PlantedMistakes.run(port, "hf-4.57.6/tiny.golden.json"), "logits[");
            assertThat(failures).isNotEmpty();
            assertThat(failures.get(0)).contains("position").contains("max |diff|");
        }
    }

    /** Position ids counted from the start of the padded row instead of from the attention mask. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void positionIdsIgnoringThePaddingMaskFailTheBatchCase(String fixture) {
        ModelConfig absolute = new ModelConfig(1e-5, ModelConfig.Activation.GELU_TANH, PlantedMistakes.COLUMN_POSITIONS);
        try (RuntimePort port = PlantedMistakes.port(PlantedMistakes.weights(seed(fixture), hparams(fixture)), hparams(fixture), absolute)) {
            Map<String, String> results = PlantedMistakes.run(port, "hf-4.57.6/" + fixture + ".golden.json");
            List<String> failures = PlantedMistakes.failuresOf(results, "batch_greedy");
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0)).contains("row").contains("first divergence at step");
            // unpadded cases cannot tell the two apart: the mistake shows only where padding is
            assertThat(PlantedMistakes.failuresOf(results, " › greedy[")).isEmpty();
        }
    }

    /** Beam search scored with 4.57's length normalisation where the golden was recorded with 4.28's. */
    @Test
    void beamScoresNormalisedByTheWrongLengthFailTheBeamCases() {
        try (RuntimePort correct = PlantedMistakes.port(PlantedMistakes.weights(1, TINY), TINY, ModelConfig.DEFAULT)) {
            Gpt2Port wrongLength = new DelegatingPort(correct) {
                @Override
                public BeamResult beam(BeamRequest r) {
                    String other = r.hfVersion().startsWith("4.28") ? "4.57.6" : "4.28.1";
                    return correct.beam(new BeamRequest(r.ids(), r.maxNewTokens(), r.numBeams(), r.numReturnSequences(),
                            r.lengthPenalty(), r.earlyStopping(), r.noRepeatNgramSize(), r.eosTokenId(), r.padTokenId(), other));
                }
            };
            List<String> failures = PlantedMistakes.failuresOf(PlantedMistakes.run(wrongLength, "hf-4.28.1/tiny.golden.json"), "beam[");
            assertThat(failures).isNotEmpty();
            assertThat(String.join("\n", failures)).contains("score");
        }
    }

    /**
     * A no-repeat-n-gram ban that looks only at generated tokens, not at the prompt. It shows only
     * where a generated n-gram repeats one of the prompt's, so the cases that expose it are named.
     */
    @Test
    void noRepeatNgramIgnoringThePromptFailsTheInvariantNamingTheRepeatedNgram() {
        List<String> failures = new java.util.ArrayList<>();
        for (String fixture : List.of("tiny", "odd")) {
            try (RuntimePort correct = PlantedMistakes.port(PlantedMistakes.weights(seed(fixture), hparams(fixture)), hparams(fixture), ModelConfig.DEFAULT)) {
                Gpt2Port promptBlind = new DelegatingPort(correct) {
                    @Override
                    public int[][] greedy(GreedyRequest r) {
                        if (r.noRepeatNgramSize().isEmpty()) {
                            return correct.greedy(r);
                        }
                        GreedyRequest withoutBan = new GreedyRequest(r.ids(), r.attentionMask(), r.maxNewTokens(),
                                OptionalInt.empty(), r.repetitionPenalty(), r.eosTokenId(), r.padTokenId());
                        return correct.greedy(withoutBan, promptBlindBan(r.noRepeatNgramSize().getAsInt(), r.ids()[0].length));
                    }

                    @Override
                    public BeamResult beam(BeamRequest r) {
                        if (r.noRepeatNgramSize().isEmpty()) {
                            return correct.beam(r);
                        }
                        BeamRequest withoutBan = new BeamRequest(r.ids(), r.maxNewTokens(), r.numBeams(), r.numReturnSequences(),
                                r.lengthPenalty(), r.earlyStopping(), OptionalInt.empty(), r.eosTokenId(), r.padTokenId(), r.hfVersion());
                        return correct.beam(withoutBan, promptBlindBan(r.noRepeatNgramSize().getAsInt(), r.ids().length));
                    }
                };
                failures.addAll(PlantedMistakes.failuresOf(
                        PlantedMistakes.run(promptBlind, "hf-4.57.6/" + fixture + ".golden.json"), "no_repeat_ngram"));
            }
        }
        // the recorded cases cannot see it (generated text rarely repeats a prompt n-gram);
        // the kit's invariant cases on an adversarial prompt do, naming the n-gram and where it already was
        assertThat(failures).isNotEmpty().allMatch(f -> f.contains("invariant"));
        assertThat(failures.get(0)).contains("completing the n-gram").contains("(in the prompt)");
    }

    /** The real n-gram ban, shown only the generated tokens: the planted mistake. */
    private static LogitsProcessor promptBlindBan(int n, int promptLength) {
        NoRepeatNGramProcessor ban = new NoRepeatNGramProcessor(n);
        return (ids, scores) -> ban.process(generatedOnly(ids, promptLength), scores);
    }

    private static int[][] generatedOnly(int[][] ids, int promptLength) {
        int[][] out = new int[ids.length][];
        for (int r = 0; r < ids.length; r++) {
            out[r] = java.util.Arrays.copyOfRange(ids[r], promptLength, ids[r].length);
        }
        return out;
    }

    /** Forwards everything to a port; a planted mistake overrides one method. */
    private abstract static class DelegatingPort implements Gpt2Port {
        final Gpt2Port inner;

        DelegatingPort(Gpt2Port inner) {
            this.inner = inner;
        }

        @Override
        public Set<Capability> capabilities() {
            return inner.capabilities();
        }

        @Override
        public int[] tokenize(String text) {
            return inner.tokenize(text);
        }

        @Override
        public String decode(int[] ids) {
            return inner.decode(ids);
        }

        @Override
        public float[][][] logits(int[][] ids, int[][] attentionMask) {
            return inner.logits(ids, attentionMask);
        }

        @Override
        public int[][] greedy(GreedyRequest request) {
            return inner.greedy(request);
        }

        @Override
        public BeamResult beam(BeamRequest request) {
            return inner.beam(request);
        }

        @Override
        public WarpedDistribution warp(int[] ids, double temperature, int topK, double topP) {
            return inner.warp(ids, temperature, topK, topP);
        }
    }
}
