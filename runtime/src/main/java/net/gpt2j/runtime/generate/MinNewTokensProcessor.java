package net.gpt2j.runtime.generate;

/**
 * HF's {@code MinNewTokensLengthLogitsProcessor}: the end-of-sequence token scores -inf until the
 * row holds {@code minNewTokens} tokens beyond its prompt.
 */
public final class MinNewTokensProcessor implements SparseLogitsProcessor {

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

    /** End-of-sequence while the row is still short of its minimum, else nothing. */
    @Override
    public int[] touchedIds(int[] idsSoFar, int vocabSize) {
        boolean banned = idsSoFar.length - promptLength < minNewTokens && eosTokenId >= 0 && eosTokenId < vocabSize;
        return banned ? new int[] {eosTokenId} : new int[0];
    }

    @Override
    public void processRow(int[] idsSoFar, RowScores scores) {
        for (int id : touchedIds(idsSoFar, scores.vocabSize())) {
            scores.set(id, Float.NEGATIVE_INFINITY);
        }
    }
}
