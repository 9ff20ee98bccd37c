package net.gpt2j.runtime.generate;

/**
 * The float32 reductions generation needs, written the way torch's CPU kernels compute them (max,
 * then the sum of exponentials, then one subtraction), so near-ties break as HuggingFace's do.
 */
public final class ScoreMath {

    private ScoreMath() {}

    /** {@code log_softmax} in float32: {@code x - (max + log(sum(exp(x - max))))}. */
    public static float[] logSoftmax(float[] logits) {
        float max = max(logits);
        double sum = 0;
        for (float x : logits) {
            sum += (float) Math.exp(x - max);
        }
        float shift = max + (float) Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - shift;
        }
        return out;
    }

    /** {@code softmax} in float32; -inf scores get probability 0. */
    public static float[] softmax(float[] scores) {
        float max = max(scores);
        float[] out = new float[scores.length];
        // an id a warper or a ban set to -inf has probability exactly 0 (exp(-inf) is +0): not computed,
        // since after top-k nearly the whole row is -inf; a row that is all -inf keeps the arithmetic
        boolean skipRemoved = max != Float.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            if (skipRemoved && scores[i] == Float.NEGATIVE_INFINITY) {
                continue; // out[i] stays 0f, and the sum gains nothing
            }
            out[i] = (float) Math.exp(scores[i] - max);
            sum += out[i];
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        return out;
    }

    public static float max(float[] xs) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : xs) {
            if (x > m) {
                m = x;
            }
        }
        return m;
    }

    /** The first index of the largest score, as {@code torch.argmax} returns on ties. */
    public static int argmax(float[] xs) {
        int best = 0;
        for (int i = 1; i < xs.length; i++) {
            if (xs[i] > xs[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Best minus second-best score (0 when they tie); how close an argmax came to flipping. */
    public static float top2Gap(float[] xs) {
        float first = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (float x : xs) {
            if (x > first) {
                second = first;
                first = x;
            } else if (x > second) {
                second = x;
            }
        }
        return first - second;
    }
}
