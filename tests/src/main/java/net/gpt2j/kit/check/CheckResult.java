package net.gpt2j.kit.check;

import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of one check: OK or NOT OK, a plain report (the first line says which and the
 * largest difference; following lines say where and, for failures, what it likely means), and, for
 * numeric checks, the {@link Margin}: the largest difference beside the tolerance it was judged by,
 * recorded whether the case passed or failed.
 */
public record CheckResult(boolean ok, String report, Margin margin) {

    /**
     * The largest difference a numeric check saw and the tolerance it was judged by ({@code kind}:
     * {@code abs}, {@code rel}, or a combined rule such as {@code abs + 1.0e-05 rel}).
     * {@link #fraction()} is how much of the tolerance was used: below 1 passes.
     */
    public record Margin(double maxDiff, double tolerance, String kind) {

        public double fraction() {
            if (Double.isNaN(maxDiff)) {
                return Double.POSITIVE_INFINITY;
            }
            return tolerance == 0 ? (maxDiff == 0 ? 0 : Double.POSITIVE_INFINITY) : maxDiff / tolerance;
        }

        /** e.g. {@code max |diff| 3.1e-06, tolerance 1.0e-04 abs (3% of it)}. */
        @Override
        public String toString() {
            double f = fraction();
            String used = Double.isInfinite(f) ? "above it" : String.format(Locale.ROOT, "%.0f%% of it", 100 * f);
            return "max |diff| " + Fmt.e(maxDiff) + ", tolerance " + Fmt.e(tolerance) + " " + kind + " (" + used + ")";
        }
    }

    public CheckResult(boolean ok, String report) {
        this(ok, report, null);
    }

    public static CheckResult ok(String report) {
        return new CheckResult(true, report);
    }

    public static CheckResult notOk(String report) {
        return new CheckResult(false, report);
    }

    /** This result with its margin recorded. */
    public CheckResult withMargin(double maxDiff, double tolerance, String kind) {
        return new CheckResult(ok, report, new Margin(maxDiff, tolerance, kind));
    }

    public Optional<Margin> marginIfNumeric() {
        return Optional.ofNullable(margin);
    }

    /** Both must be OK; the reports are joined, and the tighter margin (the larger share of its tolerance) is kept. */
    public CheckResult and(CheckResult other) {
        Margin m = margin == null ? other.margin
                : other.margin == null || margin.fraction() >= other.margin.fraction() ? margin : other.margin;
        return new CheckResult(ok && other.ok, report + "\n" + other.report, m);
    }
}
