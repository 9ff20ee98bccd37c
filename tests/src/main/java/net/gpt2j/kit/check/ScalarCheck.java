package net.gpt2j.kit.check;

/** One number against the golden, within a relative tolerance (perplexity, sequence log-prob). */
public final class ScalarCheck {

    private ScalarCheck() {}

    public static CheckResult relative(String what, double expected, double actual, double rel) {
        double diff = Math.abs(actual - expected);
        double relDiff = expected == 0 ? diff : diff / Math.abs(expected);
        String body = ": expected " + Fmt.v(expected) + ", got " + Fmt.v(actual) + ", relative diff " + Fmt.e(relDiff)
                + " (tolerance " + Fmt.e(rel) + ")";
        boolean ok = !Double.isNaN(actual) && diff <= rel * Math.abs(expected);
        return (ok ? CheckResult.ok(what + " OK" + body) : CheckResult.notOk(what + " NOT OK" + body))
                .withMargin(Double.isNaN(actual) ? Double.NaN : relDiff, rel, "rel");
    }
}
