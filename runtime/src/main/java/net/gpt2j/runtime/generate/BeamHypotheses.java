package net.gpt2j.runtime.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * HF's {@code BeamHypotheses}: the best {@code num_beams} finished hypotheses of one prompt, each
 * scored {@code sum_logprobs / length ** length_penalty} with the length from the
 * {@link BeamLengthConvention}, and the {@code is_done} test for {@code early_stopping}.
 */
final class BeamHypotheses {

    /** A finished hypothesis: its full ids (prompt, tokens, and the end-of-sequence token if it ended on one). */
    record Hypothesis(int[] ids, double score) {}

    private final int numBeams;
    private final double lengthPenalty;
    private final EarlyStopping earlyStopping;
    private final BeamLengthConvention convention;
    private final int promptLength;
    private final int maxNewTokens;
    private final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, EarlyStopping earlyStopping,
            BeamLengthConvention convention, int promptLength, int maxNewTokens) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.convention = convention;
        this.promptLength = promptLength;
        this.maxNewTokens = maxNewTokens;
    }

    int size() {
        return beams.size();
    }

    /**
     * Offers a finished hypothesis; kept if there is room or it beats the worst. Mirrors HF's list
     * handling exactly, ties included (the earliest-added of equal worst scores is evicted).
     */
    void add(int[] ids, float sumLogprobs, int generatedLength, boolean endsWithEos) {
        int length = convention.scoredLength(promptLength, generatedLength, endsWithEos);
        // HF: Python float arithmetic on .item() of the float32 sum
        double score = sumLogprobs / Math.pow(length, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(ids, score));
            if (beams.size() > numBeams) {
                int worst = 0;
                int secondWorst = -1;
                for (int i = 1; i < beams.size(); i++) {
                    if (beams.get(i).score() < beams.get(worst).score()) {
                        secondWorst = worst;
                        worst = i;
                    } else if (secondWorst < 0 || beams.get(i).score() < beams.get(secondWorst).score()) {
                        secondWorst = i;
                    }
                }
                double newWorst = beams.get(secondWorst).score();
                beams.remove(worst);
                worstScore = newWorst;
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /**
     * HF's {@code is_done}: whether no running beam can still improve on the kept hypotheses.
     *
     * @param bestSumLogprobs the best candidate score of this step
     * @param generatedLength tokens generated so far, this step's included
     */
    boolean isDone(float bestSumLogprobs, int generatedLength) {
        if (beams.size() < numBeams) {
            return false;
        }
        if (earlyStopping == EarlyStopping.WHEN_BEAMS_FULL) {
            return true;
        }
        int length = earlyStopping == EarlyStopping.NEVER && lengthPenalty > 0
                ? convention.scoredLength(promptLength, maxNewTokens, false)
                : convention.scoredLength(promptLength, generatedLength, true);
        double highestAttainable = bestSumLogprobs / Math.pow(length, lengthPenalty);
        return worstScore >= highestAttainable;
    }

    /**
     * The kept hypotheses best first. HF sorts ascending (stably) and pops from the end, so among equal
     * scores the later-added comes first; reproduced here.
     */
    List<Hypothesis> bestFirst() {
        List<Hypothesis> sorted = new ArrayList<>(beams);
        sorted.sort(Comparator.comparingDouble(Hypothesis::score));
        List<Hypothesis> out = new ArrayList<>(sorted.size());
        for (int i = sorted.size() - 1; i >= 0; i--) {
            out.add(sorted.get(i));
        }
        return out;
    }
}
