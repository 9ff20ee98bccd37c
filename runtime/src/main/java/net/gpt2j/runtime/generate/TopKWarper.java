package net.gpt2j.runtime.generate;

import java.util.Arrays;

/**
 * HF's {@code TopKLogitsWarper}: scores below the k-th largest become -inf. HF removes
 * {@code scores < topk(scores, k).values[-1]}, so every id tied with the k-th value survives; this
 * compares against the k-th value too, so which of several tied ids {@code torch.topk} would list
 * never matters here (more than k ids can be kept on exact ties, as in HF).
 */
public final class TopKWarper implements LogitsProcessor {

    private final int k;
    private final int minTokensToKeep;

    public TopKWarper(int k) {
        this(k, 1);
    }

    public TopKWarper(int k, int minTokensToKeep) {
        if (k < 1) {
            throw new IllegalArgumentException("top_k must be >= 1 for the warper (0 means: leave it out), got " + k);
        }
        this.k = k;
        this.minTokensToKeep = minTokensToKeep;
    }

    @Override
    public void process(int[][] idsSoFar, float[][] scores) {
        for (float[] row : scores) {
            int keep = Math.min(Math.max(k, minTokensToKeep), row.length);
            float[] sorted = row.clone();
            Arrays.sort(sorted); // ascending; NaN-free logits assumed
            float kth = sorted[sorted.length - keep];
            for (int i = 0; i < row.length; i++) {
                if (row[i] < kth) {
                    row[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }
}
