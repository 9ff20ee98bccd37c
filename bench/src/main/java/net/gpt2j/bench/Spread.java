package net.gpt2j.bench;

import java.util.Arrays;

/** Min, median and max of one measurement repeated over several runs, plus the runs in order. */
record Spread(double min, double median, double max, double[] inOrder) {

    static Spread of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a spread needs at least one run");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        // the middle value, or the mean of the two middle ones: an even count must not pick a side
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(sorted[0], median, sorted[n - 1], values.clone());
    }

    /** Rates from durations: {@code units / seconds} for every run. */
    static Spread ratesOf(double[] seconds, double units) {
        return of(Arrays.stream(seconds).map(s -> units / s).toArray());
    }

    /** Run-by-run ratios {@code a[i] / b[i]}: two measurements taken side by side in each run. */
    static Spread pairedRatios(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired ratios need as many runs on both sides, got " + a.length
                    + " and " + b.length);
        }
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] / b[i];
        }
        return of(r);
    }
}
