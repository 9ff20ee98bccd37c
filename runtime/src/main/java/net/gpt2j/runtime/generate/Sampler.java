package net.gpt2j.runtime.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * HF's multinomial sampling ({@code do_sample=True, num_beams=1}): processors, then warpers, then
 * softmax, then one draw per row. The draw uses {@link SplittableRandom} seeded from the config, so a
 * seed reproduces a run here; torch's random stream (and so HF's exact samples) cannot be matched.
 */
public final class Sampler {

    private final GenerationConfig config;

    public Sampler(GenerationConfig config) {
        if (!config.doSample() || config.numBeams() != 1) {
            throw new IllegalArgumentException("sampling needs do_sample=true and num_beams=1, got do_sample="
                    + config.doSample() + ", num_beams=" + config.numBeams());
        }
        this.config = config;
    }

    public SampleResult generate(LogitsSource source, PromptBatch prompts) {
        return generate(source, prompts, config.tokenListener()); // the listener set on the config, if any
    }

    /** Sampling that shows {@code listener} each token as it is drawn. */
    public SampleResult generate(LogitsSource source, PromptBatch prompts, TokenListener listener) {
        SplittableRandom random = new SplittableRandom(config.seed());
        List<SampleResult.Draw> draws = new ArrayList<>();
        int[][] sequences = TokenByTokenDecoder.run(source, prompts, config, (row, step, scores) -> {
            float[] probs = ScoreMath.softmax(scores);
            int token = draw(probs, random.nextDouble());
            draws.add(new SampleResult.Draw(row, step, token, probs[token], countNonZero(probs)));
            return token;
        }, listener);
        return new SampleResult(sequences, List.copyOf(draws));
    }

    /** Inverse-CDF draw: the first id whose cumulative probability exceeds {@code u * total}. */
    static int draw(float[] probs, double u) {
        double total = 0;
        for (float p : probs) {
            total += p;
        }
        double target = u * total;
        double cumulative = 0;
        int lastNonZero = -1;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > 0) {
                cumulative += probs[i];
                lastNonZero = i;
                if (cumulative > target) {
                    return i;
                }
            }
        }
        if (lastNonZero < 0) {
            throw new IllegalStateException("every token has probability 0 after the warpers");
        }
        return lastNonZero; // rounding left the target just past the sum
    }

    private static int countNonZero(float[] probs) {
        int n = 0;
        for (float p : probs) {
            if (p > 0) {
                n++;
            }
        }
        return n;
    }
}
