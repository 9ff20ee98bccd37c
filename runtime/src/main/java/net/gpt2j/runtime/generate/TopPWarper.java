package net.gpt2j.runtime.generate;

import java.util.Arrays;

/**
 * HF's {@code TopPLogitsWarper}: sorts scores ascending, takes the cumulative softmax, removes every
 * id whose cumulative probability is {@code <= 1 - top_p}, and always keeps the
 * {@code min_tokens_to_keep} most probable. Softmax is float32; the cumulative sum accumulates in
 * double and is stored as float32, as torch's CPU {@code cumsum} does; the threshold {@code 1 - top_p}
 * is computed in double and compared as float32, as torch compares a float32 tensor with a scalar.
 * Ties in the sort are ordered by id (torch's sort is not stable by contract); only ids tied exactly at
 * the cut-off could be affected.
 */
public final class TopPWarper implements LogitsProcessor {

    private final double topP;
    private final int minTokensToKeep;

    public TopPWarper(double topP) {
        this(topP, 1);
    }

    public TopPWarper(double topP, int minTokensToKeep) {
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        this.topP = topP;
        this.minTokensToKeep = minTokensToKeep;
    }

    @Override
    public void process(int[][] idsSoFar, float[][] scores) {
        for (float[] row : scores) {
            // ids already at -inf (top-k before this, a ban) have probability 0: they add nothing to the
            // softmax's sum or to any cumulative sum and stay -inf, so only the others are sorted
            warpInOrder(row, ascendingOrderOfTheRest(row));
        }
    }

    /**
     * HF's cut on {@code row}, whose ids {@code order} lists by ascending score: the softmax of the
     * scores in that order, the cumulative sum from the smallest, and every id at or below
     * {@code 1 - top_p} set to -inf, the {@code min_tokens_to_keep} largest kept.
     */
    void warpInOrder(float[] row, int[] order) {
        float threshold = (float) (1 - topP);
        int n = order.length;
        float[] sortedLogits = new float[n];
        for (int i = 0; i < n; i++) {
            sortedLogits[i] = row[order[i]];
        }
        float[] probs = ScoreMath.softmax(sortedLogits);
        double cumulative = 0;
        boolean[] remove = new boolean[n];
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            remove[i] = (float) cumulative <= threshold;
        }
        for (int i = Math.max(0, n - minTokensToKeep); i < n; i++) {
            remove[i] = false;
        }
        for (int i = 0; i < n; i++) {
            if (remove[i]) {
                row[order[i]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * The ids of {@code row} whose score is not -inf, by ascending score ({@link Float#compare}'s
     * order), ties by ascending id. Each score's bits are made sortable as an unsigned int (negative
     * floats count down, so their magnitude bits are flipped, and the sign bit is flipped for all) and
     * a stable least-significant-digit radix sort, a byte per pass, carries the ids along: stable, so
     * ids with equal scores stay in ascending order. A row of the vocabulary takes four linear passes
     * (fewer when every score shares a byte), where a comparison sort of boxed ids took most of a
     * sampled step.
     */
    static int[] ascendingOrderOfTheRest(float[] row) {
        int n = 0;
        for (float score : row) {
            n += score != Float.NEGATIVE_INFINITY ? 1 : 0;
        }
        int[] keys = new int[n];
        int[] ids = new int[n];
        int k = 0;
        for (int i = 0; i < row.length; i++) {
            if (row[i] != Float.NEGATIVE_INFINITY) {
                int bits = Float.floatToIntBits(row[i]); // one NaN, as Float.compare sees them
                keys[k] = (bits ^ ((bits >> 31) & 0x7fffffff)) ^ Integer.MIN_VALUE; // signed order as unsigned
                ids[k++] = i;
            }
        }
        int[] keysOut = new int[n];
        int[] idsOut = new int[n];
        int[] starts = new int[257];
        for (int shift = 0; shift < 32; shift += 8) {
            Arrays.fill(starts, 0);
            for (int key : keys) {
                starts[((key >>> shift) & 0xff) + 1]++;
            }
            if (n == 0 || starts[((keys[0] >>> shift) & 0xff) + 1] == n) {
                continue; // every key has this byte: the pass would not move anything
            }
            for (int b = 0; b < 256; b++) {
                starts[b + 1] += starts[b];
            }
            for (int i = 0; i < n; i++) {
                int at = starts[(keys[i] >>> shift) & 0xff]++;
                keysOut[at] = keys[i];
                idsOut[at] = ids[i];
            }
            int[] t = keys;
            keys = keysOut;
            keysOut = t;
            t = ids;
            ids = idsOut;
            idsOut = t;
        }
        return ids;
    }
}
