package net.gpt2j.runtime.generate;

/**
 * Greedy output: each row's prompt (padding included) followed by its new tokens, padded after an
 * end-of-sequence token as HF does, and the smallest gap between the best and second-best processed
 * score over all steps and unfinished rows (how close the argmax came to flipping).
 */
public record GreedyResult(int[][] sequences, float minTop2Gap) {}
