package net.gpt2j.runtime.generate;

/**
 * HF's {@code MinNewTokensLengthLogitsProcessor}: the end-of-sequence token scores -inf until the
 * row holds {@code minNewTokens} tokens beyond its prompt.
 */
public final class MinNewTokensProcessor implements LogitsProcessor {

    private final int promptLength;
    private final int minNewTokens;
    private final int eosTokenId;

    public MinNewTokensProcessor(int promptLength, int minNewTokens, int eosTokenId) {
        if (minNewTokens < 0) {
            throw new IllegalArgumentException("min_new_tokens must be >= 0, got " + minNewTokens);
        }
        this.promptLength = promptLength;
        this.minNewTokens = minNewTokens;
        this.eosTokenId = eosTokenId;
    }

    @Override
    public void process(int[][] idsSoFar, float[][] scores) {
        for (int r = 0; r < scores.length; r++) {
            if (idsSoFar[r].length - promptLength < minNewTokens && eosTokenId < scores[r].length) {
                scores[r][eosTokenId] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
