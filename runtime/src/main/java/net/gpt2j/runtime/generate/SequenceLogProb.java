package net.gpt2j.runtime.generate;

/**
 * The log-probability the model gives a continuation: the sum, over each token after the prompt, of
 * its float32 log-softmax under the raw logits of its prefix (no processors), summed in double.
 */
public final class SequenceLogProb {

    private SequenceLogProb() {}

    public static double of(SequenceScorer scorer, int[] sequence, int promptLength) {
        if (promptLength < 1 || promptLength > sequence.length) {
            throw new IllegalArgumentException("prompt length " + promptLength + " must be in [1, "
                    + sequence.length + "] for a sequence of " + sequence.length + " tokens");
        }
        float[][] logits = scorer.logitsForAllPositions(sequence);
        double sum = 0;
        for (int t = promptLength; t < sequence.length; t++) {
            sum += ScoreMath.logSoftmax(logits[t - 1])[sequence[t]];
        }
        return sum;
    }
}
