package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hypothesis bookkeeping, the stop rules, and that the length convention is what tells versions apart. */
class BeamSearchTest {

    @Test
    void hypothesesKeepTheBestAndEvictTheWorst() {
        BeamHypotheses h = new BeamHypotheses(2, 1.0, EarlyStopping.HEURISTIC, BeamLengthConvention.HF_4_57, 3, 10);
        h.add(new int[] {1}, -4f, 2, false); // score -2
        h.add(new int[] {2}, -2f, 2, false); // score -1
        h.add(new int[] {3}, -9f, 3, false); // score -3: worse than the worst, not kept
        h.add(new int[] {4}, -1f, 2, false); // score -0.5: evicts -2
        assertThat(h.bestFirst()).extracting(x -> x.ids()[0]).containsExactly(4, 2);
    }

    @Test
    void theConventionsDivideByDifferentLengths() {
        // prompt 4, 3 generated tokens, the last an end-of-sequence token
        assertThat(BeamLengthConvention.HF_4_28.scoredLength(4, 3, true)).isEqualTo(6);
        assertThat(BeamLengthConvention.HF_4_57.scoredLength(4, 3, true)).isEqualTo(3);
        assertThat(BeamLengthConvention.HF_4_28.scoredLength(4, 3, false)).isEqualTo(7);
    }

    @Test
    void earlyStoppingModesDecideDoneAsHuggingFace() {
        // one kept hypothesis of score -1 (sum -2 over 2 tokens); best running sum -3
        for (EarlyStopping mode : EarlyStopping.values()) {
            BeamHypotheses h = new BeamHypotheses(1, 1.0, mode, BeamLengthConvention.HF_4_57, 5, 10);
            assertThat(h.isDone(-3f, 2)).as("%s with no hypothesis", mode).isFalse();
            h.add(new int[] {1}, -2f, 2, true);
            boolean done = h.isDone(-3f, 2); // heuristic: -3/2 = -1.5 <= -1 -> done; never: -3/10 = -0.3 -> not done
            boolean doneLaterLength = h.isDone(-12f, 4); // heuristic: -3 -> done; never: -12/10 = -1.2 -> done
            boolean notDone = h.isDone(-9f, 4); // heuristic: -2.25 -> done; never: -9/10 = -0.9 > -1 -> not done
            switch (mode) {
                case WHEN_BEAMS_FULL -> assertThat(List.of(done, doneLaterLength, notDone)).containsOnly(true);
                case HEURISTIC -> assertThat(List.of(done, doneLaterLength, notDone)).containsOnly(true);
                case NEVER -> assertThat(List.of(done, doneLaterLength, notDone)).containsExactly(false, true, false);
            }
        }
    }

    @Test
    void theOtherVersionsConventionMissesTheRecordedScores() {
        // 4.28 scored an early end-of-sequence hypothesis on prompt + generated length; 4.57's rule gives other scores
        JsonNode golden = GoldenFixtures.golden("4.28.1", "tiny");
        JsonNode eosCase = null;
        for (JsonNode c : golden.get("beam")) {
            if (c.has("eos_token_id") && !c.has("early_stopping")) {
                eosCase = c;
                break;
            }
        }
        assertThat(eosCase).isNotNull();
        int[] prompt = GoldenFixtures.ints(eosCase.get("input_ids"));
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(eosCase.get("max_new_tokens").asInt())
                .numBeams(eosCase.get("num_beams").asInt()).numReturnSequences(eosCase.get("num_beams").asInt())
                .eosTokenId(eosCase.get("eos_token_id").asInt()).build();
        PlainJavaGpt2 model = GoldenFixtures.model(golden);
        float recordedBest = (float) eosCase.get("sequences_scores").get(0).asDouble();
        BeamResult right = new BeamSearch(config, BeamLengthConvention.HF_4_28).generate(model, PromptBatch.single(prompt));
        BeamResult wrong = new BeamSearch(config, BeamLengthConvention.HF_4_57).generate(model, PromptBatch.single(prompt));
        assertThat(right.sequencesScores()[0]).isCloseTo(recordedBest, org.assertj.core.api.Assertions.within(1e-4f));
        assertThat(wrong.sequencesScores()[0]).isNotCloseTo(recordedBest, org.assertj.core.api.Assertions.within(0.1f));
    }

    @Test
    void shorterHypothesesAreRightPaddedWithThePadId() {
        // token 7 always best, token 9 (eos) second: the beam ending on eos is shorter than the rest
        float[] logits = {0f, 0f, 0f, 0f, 0f, 0f, 0f, 3f, 0f, 2.9f};
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(3).numBeams(2).numReturnSequences(2)
                .eosTokenId(9).padTokenId(8).lengthPenalty(0).build();
        BeamResult r = new BeamSearch(config, BeamLengthConvention.HF_4_57)
                .generate(new ScriptedSource(logits, 64), PromptBatch.single(new int[] {1}));
        // log-softmax: token 7 -0.834, eos -0.934. Step 1 finishes [1, 9] (-0.934), step 2 [1, 7, 9]
        // (-1.768); at step 3 the best running beam (-2.502) cannot beat -1.768 with length_penalty 0: done
        assertThat(r.sequences()).isDeepEqualTo(new int[][] {{1, 9, 8}, {1, 7, 9}});
        assertThat(r.sequencesScores()[0]).isCloseTo(-0.934f, org.assertj.core.api.Assertions.within(1e-3f));
    }
}
