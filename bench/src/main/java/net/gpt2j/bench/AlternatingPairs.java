package net.gpt2j.bench;

import java.util.function.DoubleSupplier;

/**
 * A rate against its limit, measured in many short pairs that alternate their order (A B, B A, A B,
 * ...), one ratio per pair. On these shared machines the speed drifts within seconds; the decode
 * bench's runs measure each thing once per run in a fixed order, so whatever always came second
 * caught a different slice of the drift than its limit. In pairs a second apart, with neither side
 * always first, the drift falls on both sides alike, and the spread of the per-pair ratios shows
 * what is left of it.
 */
final class AlternatingPairs {

    /** One side: how long one measurement took, and how many units (tokens, steps) it covered. */
    record Side(DoubleSupplier seconds, double units) {

        double rate() {
            double s = seconds.getAsDouble();
            if (!(s > 0)) {
                throw new IllegalStateException("a timed side took " + s + " s");
            }
            return units / s;
        }
    }

    private AlternatingPairs() {}

    /** Per pair, the rate of {@code a} over the rate of {@code b}; pair {@code i} runs {@code a} first when {@code i} is even. */
    static Spread ratios(Side a, Side b, int pairs) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be >= 1, got " + pairs);
        }
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double rateA;
            double rateB;
            if (i % 2 == 0) {
                rateA = a.rate();
                rateB = b.rate();
            } else {
                rateB = b.rate();
                rateA = a.rate();
            }
            ratios[i] = rateA / rateB;
        }
        return Spread.of(ratios);
    }
}
