package net.gpt2j.runtime.generate;

/**
 * HF's {@code RepetitionPenaltyLogitsProcessor}: every id present anywhere in the row (prompt
 * included) has its score multiplied by the penalty if negative and divided by it otherwise. An id
 * seen several times is penalised once, as HF's gather/scatter does.
 */
public final class RepetitionPenaltyProcessor implements SparseLogitsProcessor {

    private final float penalty;

    public RepetitionPenaltyProcessor(double penalty) {
        if (!(penalty > 0)) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, got " + penalty);
        }
        // torch multiplies a float32 tensor by a Python float as float32
        this.penalty = (float) penalty;
    }

    /** The row's distinct ids inside the vocabulary, in the order first seen. */
    @Override
    public int[] touchedIds(int[] idsSoFar, int vocabSize) {
        boolean[] seen = new boolean[vocabSize];
        int[] out = new int[idsSoFar.length];
        int count = 0;
        for (int id : idsSoFar) {
            if (id < 0 || id >= vocabSize || seen[id]) {
                continue;
            }
            seen[id] = true;
            out[count++] = id;
        }
        return java.util.Arrays.copyOf(out, count);
    }

    @Override
    public void processRow(int[] idsSoFar, RowScores scores) {
        for (int id : touchedIds(idsSoFar, scores.vocabSize())) {
            float s = scores.get(id);
            scores.set(id, s < 0 ? s * penalty : s / penalty);
        }
    }
}
