package net.gpt2j.runtime.generate;

/**
 * HF's {@code NoRepeatNGramLogitsProcessor}: bans every token that would complete an n-gram already
 * present in the row's full ids (prompt and output).
 *
 * <p>Rather than rebuilding HF's dictionary of all n-grams each step, it looks only for earlier
 * occurrences of the row's current (n-1)-token suffix: the banned set is identical, the work is one
 * linear scan, and the processor stays stateless, so beam reordering cannot leave it stale.
 */
public final class NoRepeatNGramProcessor implements LogitsProcessor {

    private final int n;

    public NoRepeatNGramProcessor(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("no_repeat_ngram_size must be >= 1, got " + n);
        }
        this.n = n;
    }

    @Override
    public void process(int[][] idsSoFar, float[][] scores) {
        for (int r = 0; r < scores.length; r++) {
            int[] ids = idsSoFar[r];
            int len = ids.length;
            if (len + 1 < n) {
                continue; // HF: no n-gram can be completed yet
            }
            int suffixStart = len - (n - 1);
            // every window ids[i .. i+n-1] that lies fully inside the row
            for (int i = 0; i + n <= len; i++) {
                if (prefixMatchesSuffix(ids, i, suffixStart)) {
                    int banned = ids[i + n - 1];
                    if (banned >= 0 && banned < scores[r].length) {
                        scores[r][banned] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
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
