package net.gpt2j.runtime.generate;

import java.util.Arrays;
import java.util.List;

/** Failure messages that say where generation left HuggingFace's path and how close a tie it was. */
final class Divergence {

    private Divergence() {}

    /** The first differing new token and the top-2 gap of the processed scores at that step (on HF's prefix). */
    static String greedy(SequenceScorer model, GenerationConfig config, int promptLength, int[] expected, int[] actual) {
        int n = Math.min(expected.length, actual.length);
        int first = 0;
        while (first < n && expected[first] == actual[first]) {
            first++;
        }
        if (first == n && expected.length == actual.length) {
            return "no divergence";
        }
        String where = "first divergent step " + (first - promptLength) + " (position " + first + "): HF "
                + (first < expected.length ? expected[first] : "<end>") + ", ours "
                + (first < actual.length ? actual[first] : "<end>");
        if (first >= promptLength && first < expected.length) {
            int[] prefix = Arrays.copyOf(expected, first);
            float[] scores = model.logitsForAllPositions(prefix)[first - 1].clone();
            float[][] rows = {scores};
            for (LogitsProcessor p : config.processors(promptLength)) {
                p.process(new int[][] {prefix}, rows);
            }
            where += String.format(", top-2 gap there %.3g", ScoreMath.top2Gap(rows[0]));
        }
        return where + "\n HF   " + Arrays.toString(expected) + "\n ours " + Arrays.toString(actual);
    }

    static String beam(int[][] expected, int[][] actual, int promptLength) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
            if (!Arrays.equals(expected[i], actual[i])) {
                int p = 0;
                while (p < Math.min(expected[i].length, actual[i].length) && expected[i][p] == actual[i][p]) {
                    p++;
                }
                sb.append("beam ").append(i).append(" first differs at step ").append(p - promptLength).append('\n');
            }
        }
        sb.append(" HF   ").append(Arrays.deepToString(expected)).append("\n ours ").append(Arrays.deepToString(actual));
        return sb.toString();
    }
}
