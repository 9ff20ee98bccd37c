package net.gpt2j.runtime.generate;

import java.util.Arrays;

/**
 * {@code torch.topk(scores.view(batch, beams * vocab), n, sorted=True)} for one prompt: the n best
 * (beam, token) pairs over its beams, best first. Equal scores keep the lower flattened index first:
 * torch does not document its order on ties (and on the CPU it is not the index order), so both the
 * host path and the device path hold to this one rule.
 */
public final class TopCandidates {

    private TopCandidates() {}

    /** The n best of rows {@code [firstRow, firstRow + beams)} of host scores. */
    public static BeamCandidate[] select(float[][] scores, int firstRow, int beams, int n) {
        float[] bestScore = new float[n];
        int[] bestFlat = new int[n];
        Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        Arrays.fill(bestFlat, -1);
        int vocab = scores[firstRow].length;
        int count = 0;
        for (int beam = 0; beam < beams; beam++) {
            float[] row = scores[firstRow + beam];
            for (int v = 0; v < vocab; v++) {
                float s = row[v];
                if (count == n && !(s > bestScore[n - 1])) {
                    continue;
                }
                int pos = count < n ? count : n - 1;
                while (pos > 0 && s > bestScore[pos - 1]) {
                    if (pos < n) {
                        bestScore[pos] = bestScore[pos - 1];
                        bestFlat[pos] = bestFlat[pos - 1];
                    }
                    pos--;
                }
                bestScore[pos] = s;
                bestFlat[pos] = beam * vocab + v;
                if (count < n) {
                    count++;
                }
            }
        }
        BeamCandidate[] out = new BeamCandidate[count];
        for (int i = 0; i < count; i++) {
            out[i] = new BeamCandidate(bestScore[i], bestFlat[i] % vocab, firstRow + bestFlat[i] / vocab);
        }
        return out;
    }

    /**
     * The n best of one prompt from a device {@code topk} of {@code m} (at least n) values and flat
     * indices, put in this class's order: equal scores by ascending flat index. Which n are the best
     * is only settled when the n-th differs from the (n+1)-th; when they are equal (or a value is NaN)
     * this returns null and the caller selects from the full scores with {@link #select}. With
     * {@code m == n} every candidate of the prompt is in the list, so no boundary can be in doubt.
     *
     * @param values {@code [.., m]}: the prompt's {@code topk} values start at {@code offset}
     * @param flat the matching indices into the prompt's {@code [beams * vocab]} scores
     */
    public static BeamCandidate[] fromTopK(float[] values, long[] flat, int offset, int m, int n, int firstRow,
            int vocab) {
        if (m < n) {
            throw new IllegalArgumentException("a top-" + m + " cannot give the best " + n);
        }
        for (int i = offset; i < offset + m; i++) {
            if (Float.isNaN(values[i])) {
                return null;
            }
        }
        if (m > n && values[offset + n - 1] == values[offset + n]) {
            return null;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = offset + i;
        }
        // torch sorted the values; only runs of equal ones need their indices put in order
        Arrays.sort(order, (a, b) -> values[a] == values[b] ? Long.compare(flat[a], flat[b]) : (values[a] > values[b] ? -1 : 1));
        BeamCandidate[] out = new BeamCandidate[n];
        for (int i = 0; i < n; i++) {
            long f = flat[order[i]];
            out[i] = new BeamCandidate(values[order[i]], (int) (f % vocab), firstRow + (int) (f / vocab));
        }
        return out;
    }
}
