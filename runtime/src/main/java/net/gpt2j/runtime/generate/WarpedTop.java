package net.gpt2j.runtime.generate;

import java.util.Arrays;
import java.util.List;

/**
 * The sampling distribution after HF's warpers (temperature, top-k, top-p) for one position: how many
 * ids keep a non-zero probability and the {@code top} most likely with their probabilities. What a
 * sampler draws from, shown instead of drawn, so it can be compared with HF's recorded distribution.
 *
 * @param kept     ids with a non-zero probability
 * @param topIds   the most likely ids, descending probability, ties by lower id (torch.topk's order on CPU here)
 * @param topProbs their probabilities
 */
public record WarpedTop(int kept, int[] topIds, double[] topProbs) {

    /** Warps {@code lastScores} (one position's logits after {@code ids}; not modified) and keeps the top {@code top}. */
    public static WarpedTop of(int[] ids, float[] lastScores, double temperature, int topK, double topP, int top) {
        float[][] scores = {lastScores.clone()};
        List<LogitsProcessor> warpers = GenerationConfig.builder().doSample(true)
                .temperature(temperature).topK(topK).topP(topP).build().warpers();
        for (LogitsProcessor w : warpers) {
            w.process(new int[][] {ids}, scores);
        }
        float[] probs = ScoreMath.softmax(scores[0]);
        int kept = 0;
        for (float p : probs) {
            if (p > 0) {
                kept++;
            }
        }
        Integer[] order = new Integer[probs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> probs[a] != probs[b] ? Float.compare(probs[b], probs[a]) : Integer.compare(a, b));
        int n = Math.min(top, probs.length);
        int[] topIds = new int[n];
        double[] topProbs = new double[n];
        for (int i = 0; i < n; i++) {
            topIds[i] = order[i];
            topProbs[i] = probs[order[i]];
        }
        return new WarpedTop(kept, topIds, topProbs);
    }
}
