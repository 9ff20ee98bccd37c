package net.gpt2j.runtime.generate;

/**
 * One row's scores addressed by token id: a whole row on the host, or only the few ids a
 * {@link SparseLogitsProcessor} declared, gathered from a row that stays on the model's device.
 */
public interface RowScores {

    int vocabSize();

    float get(int token);

    void set(int token, float score);

    /** A whole host row, read and written in place. */
    static RowScores of(float[] row) {
        return new RowScores() {
            @Override
            public int vocabSize() {
                return row.length;
            }

            @Override
            public float get(int token) {
                return row[token];
            }

            @Override
            public void set(int token, float score) {
                row[token] = score;
            }
        };
    }
}
