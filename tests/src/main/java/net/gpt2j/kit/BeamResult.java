package net.gpt2j.kit;

/** Beam-search output, best first: prompt + new tokens right-padded with the pad id, and HF's {@code sequences_scores}. */
public record BeamResult(int[][] sequences, double[] scores) {}
