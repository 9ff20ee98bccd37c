package net.gpt2j.runtime.generate;

import java.util.Arrays;

/**
 * HF's {@code NoRepeatNGramLogitsProcessor}: bans every token that would complete an n-gram already
 * present in the row's full ids (prompt and output).
 *
 * <p>Rather than rebuilding HF's dictionary of all n-grams each step, it looks only for earlier
 * occurrences of the row's current (n-1)-token suffix: the banned set is identical, the work is one
 * linear scan, and the processor stays stateless, so beam reordering cannot leave it stale.
 */
public final class NoRepeatNGramProcessor implements SparseLogitsProcessor {

    private final int n;

    public NoRepeatNGramProcessor(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("no_repeat_ngram_size must be >= 1, got " + n);
        }
        this.n = n;
    }

    /** The banned tokens inside the vocabulary, each once. */
    @Override
    public int[] touchedIds(int[] ids, int vocabSize) {
        int len = ids.length;
        if (len + 1 < n) {
            return new int[0]; // HF: no n-gram can be completed yet
        }
        int suffixStart = len - (n - 1);
        int[] banned = new int[len];
        int count = 0;
        // every window ids[i .. i+n-1] that lies fully inside the row
        for (int i = 0; i + n <= len; i++) {
            if (prefixMatchesSuffix(ids, i, suffixStart)) {
                int token = ids[i + n - 1];
                if (token >= 0 && token < vocabSize) {
                    banned[count++] = token;
                }
            }
        }
        return Arrays.stream(banned, 0, count).distinct().toArray();
    }

    @Override
    public void processRow(int[] idsSoFar, RowScores scores) {
        for (int banned : touchedIds(idsSoFar, scores.vocabSize())) {
            scores.set(banned, Float.NEGATIVE_INFINITY);
        }
    }

    private boolean prefixMatchesSuffix(int[] ids, int start, int suffixStart) {
        for (int k = 0; k < n - 1; k++) {
            if (ids[start + k] != ids[suffixStart + k]) {
                return false;
            }
        }
        return true;
    }
}
