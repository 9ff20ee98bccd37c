package net.gpt2j.kit.check;

import java.util.List;
import net.gpt2j.kit.golden.ModelGolden.IdLogit;
import net.gpt2j.kit.golden.ModelGolden.LogitsCase;
import net.gpt2j.kit.golden.ModelGolden.PositionLogits;

/**
 * Compares a port's logits for one prompt with a {@code logits[]} case: at every position the top-10
 * and probe ids, the logsumexp (computed here in double over the port's row) and the argmax
 * (unless the golden's top two are within the tolerance); at the last position every id.
 *
 * <p>Log-probabilities: a port whose public API gives probabilities may hand the kit their log, which
 * are HF's logits minus each row's logsumexp. Such rows are recognised when every row's logsumexp
 * is 0 within {@link #NORMALISED} (no capability to declare: real logits rows of GPT-2 never
 * sum to probability 1 by accident at every position); they are then compared after adding the
 * golden's logsumexp of that row, i.e. judged up to a per-row constant, the report says so, and the
 * logsumexp check becomes "every row sums to probability 1 within the tolerance".
 */
public final class LogitsCheck {

    private LogitsCheck() {}

    /** A row whose logsumexp is within this of 0 is a row of log-probabilities (float32 log_softmax gives ~1e-6). */
    static final double NORMALISED = 1e-3;

    /** {@code actual} is {@code [position][vocab]} for the case's prompt; rows of log-probabilities are recognised. */
    public static CheckResult check(LogitsCase expected, float[][] actual, double tolerance) {
        int positions = expected.positions().size();
        if (actual.length != positions) {
            return CheckResult.notOk("logits NOT OK: the port returned " + actual.length + " positions for a "
                    + positions + "-token prompt");
        }
        for (int p = 0; p < positions; p++) {
            if (expected.lastFull() != null && actual[p].length != expected.lastFull().length) {
                return CheckResult.notOk("logits NOT OK: position " + p + " has " + actual[p].length + " logits, expected "
                        + expected.lastFull().length + " (the vocabulary)");
            }
        }
        boolean logProbs = allNormalised(actual);
        Worst worst = new Worst(tolerance);
        StringBuilder problems = new StringBuilder();
        for (int p = 0; p < positions; p++) {
            PositionLogits golden = expected.positions().get(p);
            float[] row = actual[p];
            double shift = logProbs ? golden.logsumexp() : 0;
            for (List<IdLogit> pairs : List.of(golden.top(), golden.probe())) {
                for (IdLogit pair : pairs) {
                    if (pair.id() >= row.length) {
                        return CheckResult.notOk("logits NOT OK: position " + p + " has " + row.length
                                + " logits, too few for token " + pair.id());
                    }
                    worst.see(p, pair.id(), pair.logit(), row[pair.id()] + shift);
                }
            }
            double lse = logsumexp(row) + shift;
            if (logProbs && Math.abs(lse - golden.logsumexp()) > tolerance) {
                problems.append("\n  position ").append(p).append(" is not normalised: its probabilities sum to exp(")
                        .append(Fmt.v(lse - shift)).append("), not 1");
            } else if (Math.abs(lse - golden.logsumexp()) > tolerance) {
                problems.append("\n  logsumexp at position ").append(p).append(": expected ").append(Fmt.v(golden.logsumexp()))
                        .append(", got ").append(Fmt.v(lse)).append(", |diff| ").append(Fmt.e(Math.abs(lse - golden.logsumexp())));
            }
            int argmax = argmax(row);
            boolean tie = golden.top().size() > 1 && golden.top().get(0).logit() - golden.top().get(1).logit() <= tolerance;
            if (argmax != golden.argmax() && !tie) {
                problems.append("\n  argmax at position ").append(p).append(": expected token ").append(golden.argmax())
                        .append(", got ").append(argmax);
            }
        }
        if (expected.lastFull() != null) {
            int last = positions - 1;
            float[] want = expected.lastFull();
            double shift = logProbs ? expected.positions().get(last).logsumexp() : 0;
            for (int id = 0; id < want.length; id++) {
                worst.see(last, id, want[id], actual[last][id] + shift);
            }
        }
        String scope = positions + " positions (top 10 + probe ids, logsumexp, argmax)"
                + (expected.lastFull() != null ? " and all " + expected.lastFull().length + " logits of the last" : "");
        String mode = !logProbs ? ""
                : "\n  the port's rows are log-probabilities (every row's logsumexp is 0 within " + Fmt.e(NORMALISED)
                        + "): judged up to a per-row constant,"
                        + " each row compared after adding the golden's logsumexp of that position";
        if (worst.failures == 0 && problems.length() == 0) {
            return CheckResult.ok("logits OK" + (logProbs ? " (log-probabilities, judged up to a per-row constant)" : "") + ": "
                    + scope + "; max |diff| " + Fmt.e(worst.maxDiff) + " at " + worst.maxWhere()
                    + " (tolerance " + Fmt.e(tolerance) + ")" + mode).withMargin(worst.maxDiff, tolerance, "abs");
        }
        StringBuilder r = new StringBuilder("logits NOT OK" + (logProbs ? " (log-probabilities, judged up to a per-row constant)" : "")
                + ": ").append(worst.failures).append(" of ").append(worst.count)
                .append(" compared values differ by more than ").append(Fmt.e(tolerance)).append("; max |diff| ")
                .append(Fmt.e(worst.maxDiff));
        if (worst.failures > 0) {
            r.append("\n  first: ").append(worst.firstFailure);
            r.append("\n  max:   ").append(worst.maxWhere()).append(": expected ").append(Fmt.v(worst.maxExpected))
                    .append(", got ").append(Fmt.v(worst.maxActual)).append(", |diff| ").append(Fmt.e(worst.maxDiff));
        }
        r.append(problems).append(mode);
        return CheckResult.notOk(r.toString()).withMargin(worst.maxDiff, tolerance, "abs");
    }

    private static boolean allNormalised(float[][] rows) {
        for (float[] row : rows) {
            double lse = logsumexp(row);
            if (!(Math.abs(lse) <= NORMALISED)) {
                return false;
            }
        }
        return rows.length > 0;
    }

    static double logsumexp(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (float v : row) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Tracks the largest difference and the first one out of tolerance. */
    private static final class Worst {
        final double tolerance;
        long count;
        long failures;
        double maxDiff = -1;
        int maxPos;
        int maxId;
        double maxExpected;
        double maxActual;
        String firstFailure;

        Worst(double tolerance) {
            this.tolerance = tolerance;
        }

        void see(int pos, int id, double expected, double actual) {
            count++;
            double d = Math.abs(actual - expected);
            if (Double.isNaN(d)) {
                d = Double.POSITIVE_INFINITY;
            }
            if (d > maxDiff) {
                maxDiff = d;
                maxPos = pos;
                maxId = id;
                maxExpected = expected;
                maxActual = actual;
            }
            if (d > tolerance && failures++ == 0) {
                firstFailure = "position " + pos + ", token " + id + ": expected " + Fmt.v(expected) + ", got "
                        + Fmt.v(actual) + ", |diff| " + Fmt.e(d);
            }
        }

        String maxWhere() {
            return "position " + maxPos + ", token " + maxId;
        }
    }
}
