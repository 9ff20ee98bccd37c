package net.gpt2j.kit;

/**
 * The next-token distribution after temperature, top-k and top-p: {@code kept} ids have a non-zero
 * probability; {@code topIds}/{@code topProbs} list the most probable, descending (at least as many
 * as the golden lists, i.e. {@code min(50, kept)}).
 */
public record WarpedDistribution(int kept, int[] topIds, double[] topProbs) {}
