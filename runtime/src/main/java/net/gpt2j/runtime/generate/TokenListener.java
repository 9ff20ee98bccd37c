package net.gpt2j.runtime.generate;

/**
 * Told each token as greedy search or sampling decides it, before the next forward step, so a caller
 * can stream text while the rest is still being generated. Rows that already ended are not reported
 * (they only receive padding). Beam search reports nothing: its beams are final only at the end.
 */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = (row, step, token) -> {};

    void tokenChosen(int row, int step, int token);
}
