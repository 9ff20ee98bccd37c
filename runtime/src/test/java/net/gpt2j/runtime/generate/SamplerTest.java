package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Sampling draws from the warped distribution, and a seed reproduces a run. */
class SamplerTest {

    private static final float[] LOGITS = {2.0f, 1.5f, 1.0f, 0.5f, 0.0f, -0.5f, -1.0f, -1.5f};

    private static GenerationConfig config(long seed) {
        return GenerationConfig.builder().doSample(true).temperature(0.7).topK(4).noEosToken()
                .maxNewTokens(200).seed(seed).build();
    }

    private static SampleResult run(long seed) {
        int rows = 100;
        int[][] prompts = new int[rows][];
        int[][] mask = new int[rows][];
        for (int r = 0; r < rows; r++) {
            prompts[r] = new int[] {0};
            mask[r] = new int[] {1};
        }
        return new Sampler(config(seed)).generate(new ScriptedSource(LOGITS, 1000), new PromptBatch(prompts, mask));
    }

    @Test
    void twentyThousandDrawsFollowTheWarpedDistribution() {
        SampleResult result = run(42);
        assertThat(result.draws()).hasSize(20_000);
        // expected: softmax(logits / 0.7) over the 4 best ids, 0 elsewhere (computed independently, in double)
        double[] expected = new double[LOGITS.length];
        double z = 0;
        for (int i = 0; i < 4; i++) {
            z += Math.exp(LOGITS[i] / 0.7);
        }
        for (int i = 0; i < 4; i++) {
            expected[i] = Math.exp(LOGITS[i] / 0.7) / z;
        }
        int[] counts = new int[LOGITS.length];
        for (SampleResult.Draw d : result.draws()) {
            counts[d.tokenId()]++;
            assertThat(d.keptCount()).isEqualTo(4);
            assertThat((double) d.probability()).isCloseTo(expected[d.tokenId()], org.assertj.core.api.Assertions.within(1e-6));
        }
        double chiSquare = 0;
        for (int i = 0; i < 4; i++) {
            double e = expected[i] * 20_000;
            chiSquare += (counts[i] - e) * (counts[i] - e) / e;
        }
        for (int i = 4; i < LOGITS.length; i++) {
            assertThat(counts[i]).as("draws of id %d, removed by top-k", i).isZero();
        }
        // 3 degrees of freedom: P(chi2 > 16.27) = 0.001
        assertThat(chiSquare).isLessThan(16.27);
    }

    @Test
    void aSeedReproducesTheSameSequencesAndAnotherSeedDoesNot() {
        assertThat(run(7).sequences()).isDeepEqualTo(run(7).sequences());
        assertThat(run(7).sequences()).isNotEqualTo(run(8).sequences());
    }

    @Test
    void inverseCdfDrawPicksTheBucketTheUniformFallsIn() {
        float[] probs = {0.25f, 0f, 0.5f, 0.25f};
        assertThat(Sampler.draw(probs, 0.0)).isEqualTo(0);
        assertThat(Sampler.draw(probs, 0.3)).isEqualTo(2);
        assertThat(Sampler.draw(probs, 0.8)).isEqualTo(3);
        assertThat(Sampler.draw(probs, 0.9999999)).isEqualTo(3);
    }
}
