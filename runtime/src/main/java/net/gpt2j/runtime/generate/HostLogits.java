package net.gpt2j.runtime.generate;

import java.util.List;

/**
 * {@link NextTokenLogits} already on the host: every decision computed in Java, in float32 as torch's
 * CPU kernels compute it ({@link ScoreMath}). The reference the device path is tested against.
 */
final class HostLogits implements NextTokenLogits {

    private final float[][] rows;

    HostLogits(float[][] rows) {
        this.rows = rows;
    }

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

    @Override
    public BeamCandidate[][] beamCandidates(int[][] idsSoFar, List<LogitsProcessor> processors, float[] runningScores,
            int numBeams, int count) {
        return beamCandidates(rows, idsSoFar, processors, runningScores, numBeams, count);
    }

    @Override
    public NextTokenLogits repeatEachRow(int times) {
        return new HostLogits(repeatEachRow(rows, times));
    }

    /** {@link NextTokenLogits#beamCandidates} on host rows (left unchanged). */
    static BeamCandidate[][] beamCandidates(float[][] logits, int[][] idsSoFar, List<LogitsProcessor> processors,
            float[] runningScores, int numBeams, int count) {
        int rows = logits.length;
        if (rows % numBeams != 0 || runningScores.length != rows || idsSoFar.length != rows) {
            throw new IllegalArgumentException(rows + " rows of logits, " + idsSoFar.length + " of ids and "
                    + runningScores.length + " running scores do not make whole prompts of " + numBeams + " beams");
        }
        float[][] scores = new float[rows][];
        for (int r = 0; r < rows; r++) {
            scores[r] = ScoreMath.logSoftmax(logits[r]);
        }
        for (LogitsProcessor p : processors) {
            p.process(idsSoFar, scores);
        }
        for (int r = 0; r < rows; r++) {
            float add = runningScores[r];
            float[] row = scores[r];
            for (int v = 0; v < row.length; v++) {
                row[v] += add;
            }
        }
        BeamCandidate[][] candidates = new BeamCandidate[rows / numBeams][];
        for (int b = 0; b < candidates.length; b++) {
            candidates[b] = TopCandidates.select(scores, b * numBeams, numBeams, count);
        }
        return candidates;
    }

    static float[][] repeatEachRow(float[][] rows, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("each row repeated " + times + " times");
        }
        float[][] out = new float[rows.length * times][];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows[r / times];
        }
        return out;
    }
}
