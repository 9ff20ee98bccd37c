package net.gpt2j.runtime.generate;

import java.util.Arrays;

/**
 * HF's {@code MinNewTokensLengthLogitsProcessor}: every end-of-sequence token scores -inf until the
 * row holds {@code minNewTokens} tokens beyond its prompt.
 */
public final class MinNewTokensProcessor implements SparseLogitsProcessor {

    private final int promptLength;
    private final int minNewTokens;
    private final int[] eosTokenIds;

    public MinNewTokensProcessor(int promptLength, int minNewTokens, int... eosTokenIds) {
        if (minNewTokens < 0) {
            throw new IllegalArgumentException("min_new_tokens must be >= 0, got " + minNewTokens);
        }
        this.promptLength = promptLength;
        this.minNewTokens = minNewTokens;
        this.eosTokenIds = eosTokenIds.clone();
    }

    /** The end tokens (those in the vocabulary) while the row is still short of its minimum, else nothing. */
    @Override
    public int[] touchedIds(int[] idsSoFar, int vocabSize) {
        if (idsSoFar.length - promptLength >= minNewTokens) {
            return new int[0];
        }
        return Arrays.stream(eosTokenIds).filter(id -> id >= 0 && id < vocabSize).distinct().toArray();
    }

    @Override
    public void processRow(int[] idsSoFar, RowScores scores) {
        for (int id : touchedIds(idsSoFar, scores.vocabSize())) {
            scores.set(id, Float.NEGATIVE_INFINITY);
        }
    }
}
