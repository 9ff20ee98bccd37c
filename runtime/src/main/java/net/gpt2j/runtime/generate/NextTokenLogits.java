package net.gpt2j.runtime.generate;

/**
 * The last position's logits of every row, left where the model computed them (on its device) until
 * a decision needs them: greedy decoding without processors asks only for each row's best token and
 * its margin ({@link #top2}); anything that rewrites scores copies the rows ({@link #toHost}).
 * Valid until the next call on the source that returned it.
 */
public interface NextTokenLogits {

    /** Each row's argmax (the first index on ties, as {@code torch.argmax}) and best-minus-second score. */
    record Top2(int[] argmax, float[] gap) {}

    /** Every row, {@code [rows][vocab]}, as new arrays the caller may rewrite. */
    float[][] toHost();

    /** Each row's best token and its margin, computed where the logits are. */
    Top2 top2();

    /** Logits already on the host (a plain-Java source, or a scripted one in tests). */
    static NextTokenLogits onHost(float[][] rows) {
        return new NextTokenLogits() {
            @Override
            public float[][] toHost() {
                return TokenByTokenDecoder.copyRows(rows);
            }

            @Override
            public Top2 top2() {
                int[] argmax = new int[rows.length];
                float[] gap = new float[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    argmax[r] = ScoreMath.argmax(rows[r]);
                    gap[r] = ScoreMath.top2Gap(rows[r]);
                }
                return new Top2(argmax, gap);
            }
        };
    }
}
