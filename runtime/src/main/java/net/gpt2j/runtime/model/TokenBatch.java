package net.gpt2j.runtime.model;

import java.util.Arrays;
import net.gpt2j.format.Hparams;

/**
 * A checked batch of token rows: equal-length, left-padded ids with their 0/1 attention mask, as
 * {@link Gpt2Model} and its decoder take them.
 */
record TokenBatch(int[][] ids, int[][] mask) {

    /**
     * Checks ids against the vocabulary and the mask against the ids.
     *
     * @param mask may be null: every token is attended to
     * @throws IllegalArgumentException naming the argument, row and column that is wrong
     */
    static TokenBatch of(int[][] ids, int[][] mask, Hparams hparams) {
        int vocabSize = hparams.nVocab();
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("inputIds must hold at least one row");
        }
        int length = ids[0].length;
        if (length == 0) {
            throw new IllegalArgumentException("inputIds rows must hold at least one token");
        }
        if (length > hparams.nCtx()) {
            throw new IllegalArgumentException("inputIds rows hold " + length + " tokens, more than n_ctx " + hparams.nCtx());
        }
        if (mask == null) {
            mask = new int[ids.length][length];
            for (int[] row : mask) {
                Arrays.fill(row, 1);
            }
        } else if (mask.length != ids.length) {
            throw new IllegalArgumentException("attentionMask has " + mask.length + " rows, inputIds " + ids.length);
        }
        for (int r = 0; r < ids.length; r++) {
            if (ids[r].length != length || mask[r].length != length) {
                throw new IllegalArgumentException("row " + r + " of inputIds/attentionMask has length "
                        + ids[r].length + "/" + mask[r].length + ", expected " + length + " (rows must be padded to one length)");
            }
            for (int t = 0; t < length; t++) {
                checkToken(ids[r][t], vocabSize, "inputIds[" + r + "][" + t + "]");
                if (mask[r][t] != 0 && mask[r][t] != 1) {
                    throw new IllegalArgumentException("attentionMask[" + r + "][" + t + "] is " + mask[r][t] + ", expected 0 or 1");
                }
            }
        }
        return new TokenBatch(ids, mask);
    }

    static void checkToken(int id, int vocabSize, String where) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(where + " is token " + id + ", outside the vocabulary [0, " + vocabSize + ")");
        }
    }

    int rows() {
        return ids.length;
    }

    int length() {
        return ids[0].length;
    }

    /** The ids row-major as the {@code long}s an index array takes. */
    long[] flatIds() {
        long[] out = new long[rows() * length()];
        for (int r = 0; r < rows(); r++) {
            for (int t = 0; t < length(); t++) {
                out[r * length() + t] = ids[r][t];
            }
        }
        return out;
    }
}
