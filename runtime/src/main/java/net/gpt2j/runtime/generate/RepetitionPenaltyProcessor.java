package net.gpt2j.runtime.generate;

/**
 * HF's {@code RepetitionPenaltyLogitsProcessor}: every id present anywhere in the row (prompt
 * included) has its score multiplied by the penalty if negative and divided by it otherwise. An id
 * seen several times is penalised once, as HF's gather/scatter does.
 */
public final class RepetitionPenaltyProcessor implements LogitsProcessor {

    private final float penalty;

    public RepetitionPenaltyProcessor(double penalty) {
        if (!(penalty > 0)) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, got " + penalty);
        }
        // torch multiplies a float32 tensor by a Python float as float32
        this.penalty = (float) penalty;
    }

    @Override
    public void process(int[][] idsSoFar, float[][] scores) {
        for (int r = 0; r < scores.length; r++) {
            float[] row = scores[r];
            boolean[] seen = new boolean[row.length];
            for (int id : idsSoFar[r]) {
                if (id < 0 || id >= row.length || seen[id]) {
                    continue;
                }
                seen[id] = true;
                float s = row[id];
                row[id] = s < 0 ? s * penalty : s / penalty;
            }
        }
    }
}
