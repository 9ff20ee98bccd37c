package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Each processor and warper on hand-made rows whose HF result is worked out by hand. */
class LogitsProcessorsTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void repetitionPenaltyDividesPositiveMultipliesNegativeOncePerIdPromptIncluded() {
        float[][] scores = {{2f, -2f, 3f, 1f}};
        // id 0 appears twice (prompt and output) and is penalised once; id 3 is absent
        new RepetitionPenaltyProcessor(2.0).process(new int[][] {{0, 1, 2, 0}}, scores);
        assertThat(scores[0]).containsExactly(1f, -4f, 1.5f, 1f);
    }

    @Test
    void noRepeatNGramBansTheTokenThatWouldRepeatABigramAnywhereInTheRow() {
        float[][] scores = {{0f, 0f, 0f, 0f, 0f}};
        // bigrams seen: (1,2) (2,3) (3,1); the row ends in 1, so 2 would repeat (1,2)
        new NoRepeatNGramProcessor(2).process(new int[][] {{1, 2, 3, 1}}, scores);
        assertThat(scores[0]).containsExactly(0f, 0f, NEG_INF, 0f, 0f);
    }

    @Test
    void noRepeatTrigramOnlyBansAfterTheSameTwoTokens() {
        float[][] scores = {{0f, 0f, 0f, 0f, 0f}, {0f, 0f, 0f, 0f, 0f}};
        int[][] ids = {{1, 2, 4, 3, 1, 2}, {1, 2, 4, 3, 2}};
        new NoRepeatNGramProcessor(3).process(ids, scores);
        assertThat(scores[0]).containsExactly(0f, 0f, 0f, 0f, NEG_INF); // (1,2,4) seen
        assertThat(scores[1]).containsExactly(0f, 0f, 0f, 0f, 0f); // (3,2) never seen before
    }

    @Test
    void noRepeatNGramDoesNothingWhileTheRowIsShorterThanNMinusOne() {
        float[][] scores = {{0f, 0f}};
        new NoRepeatNGramProcessor(3).process(new int[][] {{1}}, scores);
        assertThat(scores[0]).containsExactly(0f, 0f);
    }

    @Test
    void minNewTokensMasksEosOnlyUntilEnoughNewTokens() {
        MinNewTokensProcessor p = new MinNewTokensProcessor(2, 2, 1);
        float[][] early = {{0f, 5f, 0f}};
        p.process(new int[][] {{7, 7, 0}}, early); // one new token
        assertThat(early[0][1]).isEqualTo(NEG_INF);
        float[][] late = {{0f, 5f, 0f}};
        p.process(new int[][] {{7, 7, 0, 0}}, late); // two new tokens
        assertThat(late[0][1]).isEqualTo(5f);
    }

    @Test
    void temperatureDividesEveryScore() {
        float[][] scores = {{1f, -2f}};
        new TemperatureWarper(0.5).process(new int[][] {{}}, scores);
        assertThat(scores[0]).containsExactly(2f, -4f);
    }

    @Test
    void topKKeepsEveryIdTiedWithTheKthScore() {
        float[][] scores = {{5f, 3f, 3f, 1f}};
        new TopKWarper(2).process(new int[][] {{}}, scores);
        // HF removes scores < the 2nd largest (3), so both 3s stay
        assertThat(scores[0]).containsExactly(5f, 3f, 3f, NEG_INF);
    }

    @Test
    void topPRemovesTheTailWhoseCumulativeMassIsAtMostOneMinusTopP() {
        // probabilities 0.5, 0.3, 0.15, 0.05: ascending cumulative 0.05, 0.2, 0.5, 1.0
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        float[][] p08 = {logits.clone()};
        new TopPWarper(0.8).process(new int[][] {{}}, p08); // removes cumulative <= 0.2: 0.05 and 0.15
        assertThat(p08[0][2]).isEqualTo(NEG_INF);
        assertThat(p08[0][3]).isEqualTo(NEG_INF);
        assertThat(p08[0][0]).isEqualTo(logits[0]);
        assertThat(p08[0][1]).isEqualTo(logits[1]);
        float[][] p085 = {logits.clone()};
        new TopPWarper(0.85).process(new int[][] {{}}, p085); // threshold 0.15: only 0.05 goes
        assertThat(p085[0]).containsExactly(logits[0], logits[1], logits[2], NEG_INF);
    }

    @Test
    void topPAlwaysKeepsTheMostProbableToken() {
        float[][] scores = {{10f, 0f, 0f}};
        new TopPWarper(0.01).process(new int[][] {{}}, scores);
        assertThat(scores[0]).containsExactly(10f, NEG_INF, NEG_INF);
    }

    @Test
    void logSoftmaxAndSoftmaxAgreeWithTheDefinition() {
        float[] x = {1f, 2f, 3f};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        float[] ls = ScoreMath.logSoftmax(x);
        float[] sm = ScoreMath.softmax(x);
        for (int i = 0; i < 3; i++) {
            assertThat((double) ls[i]).isCloseTo(x[i] - Math.log(z), within(1e-6));
            assertThat((double) sm[i]).isCloseTo(Math.exp(x[i]) / z, within(1e-7));
        }
        assertThat(ScoreMath.top2Gap(new float[] {1f, 4f, 3.5f})).isEqualTo(0.5f);
        assertThat(ScoreMath.argmax(new float[] {1f, 4f, 4f})).isEqualTo(1);
    }

    @Test
    void configOrdersProcessorsAsHuggingFaceAndAddsWarpersOnlyWhenSampling() {
        GenerationConfig greedy = GenerationConfig.builder().repetitionPenalty(1.3).noRepeatNgramSize(2)
                .minNewTokens(1).temperature(0.7).topP(0.9).build();
        assertThat(greedy.processors(4)).extracting(p -> p.getClass().getSimpleName())
                .containsExactly("RepetitionPenaltyProcessor", "NoRepeatNGramProcessor", "MinNewTokensProcessor");
        GenerationConfig sampling = GenerationConfig.builder().doSample(true).repetitionPenalty(1.3)
                .temperature(0.7).topK(5).topP(0.9).build();
        assertThat(sampling.processors(4)).extracting(p -> p.getClass().getSimpleName())
                .containsExactly("RepetitionPenaltyProcessor", "TemperatureWarper", "TopKWarper", "TopPWarper");
    }
}
