package net.gpt2j.kit.check;

import net.gpt2j.kit.WarpedDistribution;
import net.gpt2j.kit.golden.ModelGolden.WarperCase;

/** Warpers: the kept count and the top ids exactly, their probabilities within an absolute tolerance. */
public final class WarperCheck {

    private WarperCheck() {}

    public static CheckResult check(WarperCase expected, WarpedDistribution actual, double probTolerance) {
        if (actual.kept() != expected.kept()) {
            return CheckResult.notOk("warpers NOT OK: expected " + expected.kept() + " ids kept, got " + actual.kept());
        }
        int n = expected.topIds().length;
        if (actual.topIds().length < n || actual.topProbs().length < n) {
            return CheckResult.notOk("warpers NOT OK: expected at least " + n + " top ids and probabilities, got "
                    + actual.topIds().length + " and " + actual.topProbs().length);
        }
        for (int i = 0; i < n; i++) {
            if (actual.topIds()[i] != expected.topIds()[i]) {
                return CheckResult.notOk("warpers NOT OK: rank " + i + ": expected token " + expected.topIds()[i]
                        + " (p " + Fmt.v(expected.topProbs()[i]) + "), got token " + actual.topIds()[i] + " (p "
                        + Fmt.v(actual.topProbs()[i]) + ")");
            }
        }
        double max = 0;
        int at = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.abs(actual.topProbs()[i] - expected.topProbs()[i]);
            if (Double.isNaN(d) || d > max) {
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                at = i;
            }
        }
        String body = "kept " + expected.kept() + ", top " + n + " ids identical; probabilities max |diff| " + Fmt.e(max)
                + " at rank " + at + " (token " + expected.topIds()[at] + ": expected " + Fmt.v(expected.topProbs()[at])
                + ", got " + Fmt.v(actual.topProbs()[at]) + "; tolerance " + Fmt.e(probTolerance) + ")";
        return (max <= probTolerance ? CheckResult.ok("warpers OK: " + body) : CheckResult.notOk("warpers NOT OK: " + body))
                .withMargin(max, probTolerance, "abs");
    }
}
