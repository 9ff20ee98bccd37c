package net.gpt2j.runtime.generate;

import java.util.List;

/** Sampled output: sequences as in {@link GreedyResult}, and every draw for statistics. */
public record SampleResult(int[][] sequences, List<Draw> draws) {

    /**
     * One sampled token: which row and step, the id drawn, its probability after the warpers, and
     * how many ids had a non-zero probability.
     */
    public record Draw(int row, int step, int tokenId, float probability, int keptCount) {}
}
