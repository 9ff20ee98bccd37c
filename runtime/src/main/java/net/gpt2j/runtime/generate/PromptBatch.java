package net.gpt2j.runtime.generate;

import java.util.Arrays;

/**
 * Left-padded prompts with their attention mask, checked once: equal lengths, ids inside the
 * vocabulary, a 0/1 mask with at least one real token per row and padding only on the left.
 */
public record PromptBatch(int[][] inputIds, int[][] attentionMask) {

    public PromptBatch {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("input_ids has no rows");
        }
        int len = inputIds[0].length;
        if (len == 0) {
            throw new IllegalArgumentException("input_ids rows are empty");
        }
        if (attentionMask.length != inputIds.length) {
            throw new IllegalArgumentException("attention_mask has " + attentionMask.length + " rows, input_ids " + inputIds.length);
        }
        for (int r = 0; r < inputIds.length; r++) {
            if (inputIds[r].length != len || attentionMask[r].length != len) {
                throw new IllegalArgumentException("row " + r + " of input_ids/attention_mask is not " + len + " long");
            }
            boolean seenReal = false;
            for (int t = 0; t < len; t++) {
                int m = attentionMask[r][t];
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("attention_mask[" + r + "][" + t + "] is " + m + ", expected 0 or 1");
                }
                if (m == 1) {
                    seenReal = true;
                } else if (seenReal) {
                    throw new IllegalArgumentException("attention_mask row " + r + " is not left-padded (0 after 1 at " + t + ")");
                }
            }
            if (!seenReal) {
                throw new IllegalArgumentException("attention_mask row " + r + " has no real token");
            }
        }
    }

    /** One unpadded prompt. */
    public static PromptBatch single(int[] ids) {
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        return new PromptBatch(new int[][] {ids.clone()}, new int[][] {mask});
    }

    public int rows() {
        return inputIds.length;
    }

    /**
     * Each row {@code times} times in a row (r0, r0, r1, r1, ...): HF's expansion of the input for
     * {@code num_return_sequences} when sampling, so the rows' draws stay in HF's order.
     */
    public PromptBatch repeatRows(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("rows can be repeated 1 or more times, got " + times);
        }
        int[][] ids = new int[inputIds.length * times][];
        int[][] mask = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = inputIds[i / times].clone();
            mask[i] = attentionMask[i / times].clone();
        }
        return new PromptBatch(ids, mask);
    }

    public int length() {
        return inputIds[0].length;
    }

    /** Checks every id against the model's vocabulary. */
    void requireIdsBelow(int vocabSize) {
        for (int r = 0; r < inputIds.length; r++) {
            for (int t = 0; t < inputIds[r].length; t++) {
                int id = inputIds[r][t];
                if (id < 0 || id >= vocabSize) {
                    throw new IllegalArgumentException("input_ids[" + r + "][" + t + "] = " + id
                            + " is outside the vocabulary of " + vocabSize);
                }
            }
        }
    }
}
