package net.gpt2j.runtime.generate;

/**
 * {@code torch.topk(scores.view(batch, beams * vocab), n, sorted=True)} for one prompt: the n best
 * (beam, token) pairs over its beams, best first. Equal scores keep the lower flattened index first.
 */
final class TopCandidates {

    private TopCandidates() {}

    static BeamScorer.Candidate[] select(float[][] scores, int firstRow, int beams, int n) {
        float[] bestScore = new float[n];
        int[] bestFlat = new int[n];
        java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(bestFlat, -1);
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
        BeamScorer.Candidate[] out = new BeamScorer.Candidate[count];
        for (int i = 0; i < count; i++) {
            out[i] = new BeamScorer.Candidate(bestScore[i], bestFlat[i] % vocab, firstRow + bestFlat[i] / vocab);
        }
        return out;
    }
}
