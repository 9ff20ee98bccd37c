package net.gpt2j.runtime.generate;

/**
 * What generation needs from a model, and nothing more: the next-token logits of each row of a
 * batch, with a cache that grows one token per step and can be reordered between beams. Generation
 * never touches weights or tensors; the DJL model implements this, and so can a plain-Java
 * reference in tests.
 *
 * <p>Rows are left-padded: {@code attentionMask[r][t] == 0} marks padding. Position ids follow the
 * mask as HuggingFace's {@code generate} does ({@code cumsum(mask) - 1}, padding clamped to 1).
 */
public interface LogitsSource extends AutoCloseable {

    /** The vocabulary size: the length of every logits row. */
    int vocabSize();

    /** The longest sequence (prompt plus generated tokens) the model accepts: {@code n_ctx}. */
    int maxSequenceLength();

    /**
     * Starts a new sequence batch: runs the prompts (equal length, left-padded) and returns the
     * last position's logits, {@code [rows][vocab]}. Discards any previous cache.
     */
    float[][] prefill(int[][] inputIds, int[][] attentionMask);

    /** Appends one token to every row (its mask is 1) and returns the new last logits, {@code [rows][vocab]}. */
    float[][] step(int[] nextTokens);

    /**
     * {@link #prefill}, with the logits left where the model computed them; a source without a
     * device returns its host rows.
     */
    default NextTokenLogits prefillLogits(int[][] inputIds, int[][] attentionMask) {
        return NextTokenLogits.onHost(prefill(inputIds, attentionMask));
    }

    /** {@link #step}, with the logits left where the model computed them. */
    default NextTokenLogits stepLogits(int[] nextTokens) {
        return NextTokenLogits.onHost(step(nextTokens));
    }

    /**
     * Reorders (and may duplicate or drop) the cached rows: new row {@code r} becomes old row
     * {@code sourceRows[r]}. Beam search calls this after choosing each step's beams; prefill with one
     * row followed by {@code reorder(new int[numBeams])} expands a prompt to its beams.
     */
    void reorder(int[] sourceRows);

    @Override
    void close();
}
