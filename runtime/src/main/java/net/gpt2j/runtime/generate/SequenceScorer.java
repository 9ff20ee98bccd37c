package net.gpt2j.runtime.generate;

/**
 * What whole-sequence scoring needs from a model: the logits at every position of one unpadded
 * sequence, {@code [ids.length][vocab]}, position p predicting token p + 1.
 */
public interface SequenceScorer {

    float[][] logitsForAllPositions(int[] ids);
}
