package net.gpt2j.runtime.generate;

/**
 * Beam search output as HF returns it with {@code output_scores}: for each prompt,
 * {@code num_return_sequences} sequences (prompt plus new tokens, right-padded with the pad id to the
 * longest returned one), best first, and their final length-normalised scores
 * ({@code sequences_scores}). Row {@code b * numReturnSequences + j} is prompt b's j-th best.
 */
public record BeamResult(int[][] sequences, float[] sequencesScores) {}
