package net.gpt2j.runtime.model;

import java.util.Arrays;

/**
 * The host-side bookkeeping of a left-padded batch as it grows: which tokens are real, each token's
 * position id, and the additive attention bias that hides padding and the future. Shared by the full
 * forward (one batch, built at once) and the KV cache (a prompt, then one token per step).
 *
 * <p>Position ids follow HuggingFace's {@code generate}: {@code cumsum(mask) - 1}, with padding set
 * to 1. A real token's position is thus the number of real tokens before it in its row.
 */
final class SequenceMask {

    /**
     * The bias of a hidden key. Finite (not -inf) so that a padding query, whose keys are all hidden,
     * gets a uniform softmax instead of NaN; half the float range so that adding a score can't overflow.
     */
    static final float HIDDEN = -Float.MAX_VALUE / 2;

    private final int capacity;
    private final ModelConfig.PositionIds positionIds;
    private int[][] mask; // [rows][capacity], 1 = real token
    private int[] realTokens; // per row: how many mask-1 tokens so far
    private int length;

    SequenceMask(int rows, int capacity) {
        this(rows, capacity, ModelConfig.PositionIds.FROM_MASK);
    }

    SequenceMask(int rows, int capacity, ModelConfig.PositionIds positionIds) {
        this.capacity = capacity;
        this.positionIds = positionIds;
        this.mask = new int[rows][capacity];
        this.realTokens = new int[rows];
    }

    int rows() {
        return mask.length;
    }

    int length() {
        return length;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Appends {@code newMask[rows][T]} and returns the new tokens' position ids, row-major
     * {@code [rows * T]}.
     */
    long[] append(int[][] newMask) {
        int t = newMask[0].length;
        if (length + t > capacity) {
            throw new IllegalStateException("sequence of " + (length + t) + " tokens exceeds the model's n_ctx of " + capacity);
        }
        long[] positions = new long[rows() * t];
        for (int r = 0; r < rows(); r++) {
            for (int j = 0; j < t; j++) {
                int m = newMask[r][j];
                mask[r][length + j] = m;
                positions[r * t + j] = positionIds.of(length + j, realTokens[r], m == 1);
                if (m == 1) {
                    realTokens[r]++;
                }
            }
        }
        length += t;
        return positions;
    }

    /** Appends one real token to every row (a decoding step) and returns its position ids, {@code [rows]}. */
    long[] appendStep() {
        int[][] ones = new int[rows()][1];
        for (int[] row : ones) {
            row[0] = 1;
        }
        return append(ones);
    }

    /**
     * The additive bias of the last {@code queries} tokens attending to all {@code length} tokens,
     * row-major {@code [rows, 1, queries, length]}: 0 where query q may see key k (k is not after q and
     * is real), {@link #HIDDEN} elsewhere. Null when nothing is hidden (one query, no padding), so the
     * common decode step adds no op.
     */
    float[] bias(int queries) {
        int start = length - queries;
        float[] bias = new float[rows() * queries * length];
        boolean anyHidden = false;
        for (int r = 0; r < rows(); r++) {
            for (int q = 0; q < queries; q++) {
                int base = (r * queries + q) * length;
                for (int k = 0; k < length; k++) {
                    if (k > start + q || mask[r][k] == 0) {
                        bias[base + k] = HIDDEN;
                        anyHidden = true;
                    }
                }
            }
        }
        return anyHidden ? bias : null;
    }

    /** New row {@code r} becomes old row {@code sourceRows[r]}. */
    void reorder(int[] sourceRows) {
        int[][] newMask = new int[sourceRows.length][];
        int[] newReal = new int[sourceRows.length];
        for (int r = 0; r < sourceRows.length; r++) {
            newMask[r] = Arrays.copyOf(mask[sourceRows[r]], capacity);
            newReal[r] = realTokens[sourceRows[r]];
        }
        mask = newMask;
        realTokens = newReal;
    }
}
