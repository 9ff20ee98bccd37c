package net.gpt2j.kit.check;

import java.util.OptionalDouble;
import net.gpt2j.kit.Tolerances;

/**
 * Compares generated token sequences exactly (no tolerance: a looser float port loosens logits,
 * never tokens). A failure names the first divergent step, both tokens, and classifies it with the
 * golden's {@code min_top2_gap}, the smallest gap between the reference's best and second-best
 * processed score over all steps of the run:
 * <ul>
 *   <li>gap below {@link Tolerances#nearTieGap()} (10 x the logits tolerance by default): a
 *       <em>near-tie</em>, a logits difference within a few tolerances could flip a step, so check
 *       the logits first;</li>
 *   <li>otherwise <em>not a near-tie</em>: float noise cannot explain it, the generation logic
 *       (processors, mask, positions, stopping) likely differs.</li>
 * </ul>
 * The gap is recorded per run, not per step, so a near-tie verdict says the flip <em>could</em> be noise.
 */
public final class SequenceCheck {

    private SequenceCheck() {}

    /**
     * @param what        a label for the report, e.g. {@code greedy} or {@code beam sequence 2}
     * @param minTop2Gap  the golden's {@code min_top2_gap}, empty where it records none (beam search)
     */
    public static CheckResult compare(String what, int[] expected, int[] actual, int promptLength,
            OptionalDouble minTop2Gap, Tolerances tolerances) {
        int n = Math.min(expected.length, actual.length);
        int at = 0;
        while (at < n && expected[at] == actual[at]) {
            at++;
        }
        if (at == expected.length && at == actual.length) {
            return CheckResult.ok(what + " OK: " + (expected.length - promptLength) + " new tokens identical");
        }
        StringBuilder r = new StringBuilder(what).append(" NOT OK: ");
        if (at < promptLength) {
            r.append("the output differs inside the prompt at position ").append(at)
                    .append(" (outputs are prompt + new tokens); expected ").append(Fmt.ids(expected, 0, 12))
                    .append(", got ").append(Fmt.ids(actual, 0, 12));
            return CheckResult.notOk(r.toString());
        }
        int step = at - promptLength;
        r.append("first divergence at step ").append(step).append(" (position ").append(at).append("): ");
        if (at >= actual.length) {
            r.append("expected token ").append(expected[at]).append(", got the end of the output (the port stopped after ")
                    .append(step).append(" new tokens, the golden after ").append(expected.length - promptLength).append(")");
        } else if (at >= expected.length) {
            r.append("expected the end of the output (the golden stopped after ").append(step)
                    .append(" new tokens), got token ").append(actual[at]);
        } else {
            r.append("expected token ").append(expected[at]).append(", got ").append(actual[at]);
        }
        r.append("\n  expected new tokens: ").append(Fmt.ids(expected, promptLength, 32));
        r.append("\n  got new tokens:      ").append(Fmt.ids(actual, promptLength, 32));
        r.append("\n  ").append(classify(minTop2Gap, tolerances));
        return CheckResult.notOk(r.toString());
    }

    static String classify(OptionalDouble minTop2Gap, Tolerances tolerances) {
        if (minTop2Gap.isEmpty()) {
            return "the golden records no top-2 gap here; if the logits check passes, suspect the search bookkeeping"
                    + " (scores, length penalty, early stopping, no-repeat n-grams, end tokens)";
        }
        double gap = minTop2Gap.getAsDouble();
        double threshold = tolerances.nearTieGap();
        if (gap < threshold) {
            return "near-tie: the golden's smallest top-2 gap over the run was " + Fmt.e(gap) + ", below " + Fmt.e(threshold)
                    + " (" + Fmt.v(tolerances.nearTieFactor()).replaceAll("\\.?0+$", "") + " x the logits tolerance);"
                    + " a logits difference that small can flip a step, so likely float noise: check the logits first";
        }
        return "not a near-tie: the golden's top two candidates were never closer than " + Fmt.e(gap) + " (threshold "
                + Fmt.e(threshold) + "); float noise cannot flip that, so a real bug: in the forward pass if this model's"
                + " logits cases fail too (fix those first), else in generation (processors, attention mask, position ids,"
                + " stopping)";
    }
}
