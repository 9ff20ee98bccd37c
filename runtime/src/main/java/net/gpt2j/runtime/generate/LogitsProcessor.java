package net.gpt2j.runtime.generate;

/**
 * One step of HuggingFace's {@code LogitsProcessor}/{@code LogitsWarper} chain: rewrites each row of
 * {@code scores} in place, given every id of that row so far (prompt, padding included, and output).
 */
public interface LogitsProcessor {

    /**
     * @param idsSoFar {@code [rows][length]}: the full ids of each row, as HF's {@code input_ids}
     * @param scores {@code [rows][vocab]}: rewritten in place
     */
    void process(int[][] idsSoFar, float[][] scores);
}
