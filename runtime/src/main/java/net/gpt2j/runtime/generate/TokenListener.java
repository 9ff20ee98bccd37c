package net.gpt2j.runtime.generate;

/**
 * Sees each token as greedy search or sampling decides it, before the next step runs: the hook for
 * streaming output. Called once per row and step while the row is unfinished (its end-of-sequence
 * token included; the padding appended after it is not reported).
 */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = (row, step, token) -> {};

    /**
     * @param row the prompt's row in the batch
     * @param step 0 for the first new token
     * @param token the decided token id
     */
    void decided(int row, int step, int token);
}
