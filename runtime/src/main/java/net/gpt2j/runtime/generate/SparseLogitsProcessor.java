package net.gpt2j.runtime.generate;

/**
 * A processor that reads and writes the scores of only a few ids per row, and says which before it
 * runs: the repetition penalty (the row's distinct ids), the n-gram ban (the banned ids), the
 * min-new-tokens ban (end-of-sequence). A row that stays on the model's device then needs only those
 * scores gathered, rewritten here, and scattered back ({@link ProcessorEdits}), not the whole row
 * copied; on a host row the same {@link #processRow} runs in place, so both paths share one rule.
 */
public interface SparseLogitsProcessor extends LogitsProcessor {

    /** The distinct ids, each in {@code [0, vocabSize)}, whose scores {@link #processRow} may read or write. */
    int[] touchedIds(int[] idsSoFar, int vocabSize);

    /** Rewrites one row's scores; reads and writes only {@link #touchedIds}. */
    void processRow(int[] idsSoFar, RowScores scores);

    @Override
    default void process(int[][] idsSoFar, float[][] scores) {
        for (int r = 0; r < scores.length; r++) {
            processRow(idsSoFar[r], RowScores.of(scores[r]));
        }
    }
}
