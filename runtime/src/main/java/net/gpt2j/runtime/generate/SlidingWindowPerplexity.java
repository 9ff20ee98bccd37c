package net.gpt2j.runtime.generate;

/**
 * HF's documented sliding-window perplexity ("Perplexity of fixed-length models"): windows of
 * {@code maxLength} tokens starting every {@code stride} tokens; in each, only the tokens past the
 * previous window's end are targets (the rest are labelled -100); a window's loss is the mean
 * cross-entropy over its non-masked shifted labels; {@code ppl = exp(mean of window losses)}; the loop
 * stops after the window that reaches the end.
 */
public final class SlidingWindowPerplexity {

    private SlidingWindowPerplexity() {}

    public static double of(SequenceScorer scorer, int[] ids, int maxLength, int stride) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max_length must be >= 2, got " + maxLength);
        }
        if (stride < 1 || stride > maxLength) {
            throw new IllegalArgumentException("stride must be in [1, max_length=" + maxLength + "], got " + stride);
        }
        if (ids.length < 2) {
            throw new IllegalArgumentException("perplexity needs at least 2 tokens, got " + ids.length);
        }
        double lossSum = 0;
        int windows = 0;
        int prevEnd = 0;
        for (int begin = 0; begin < ids.length; begin += stride) {
            int end = Math.min(begin + maxLength, ids.length);
            int targetLength = end - prevEnd;
            int[] window = java.util.Arrays.copyOfRange(ids, begin, end);
            float[][] logits = scorer.logitsForAllPositions(window);
            // labels[:-trg_len] = -100, then the shift: position p predicts label p + 1
            int firstTarget = Math.max(window.length - targetLength, 1);
            double nll = 0;
            int count = 0;
            for (int p = firstTarget; p < window.length; p++) {
                nll -= ScoreMath.logSoftmax(logits[p - 1])[window[p]];
                count++;
            }
            lossSum += nll / count;
            windows++;
            prevEnd = end;
            if (end == ids.length) {
                break;
            }
        }
        return Math.exp(lossSum / windows);
    }
}
