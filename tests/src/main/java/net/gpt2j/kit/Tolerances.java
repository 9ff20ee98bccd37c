package net.gpt2j.kit;

import java.util.Properties;

/**
 * Every numeric tolerance the kit uses, in one place. Defaults, and the system property that
 * overrides each (e.g. {@code -Dgpt2.tolerance.logits=1e-3}):
 *
 * <table>
 * <caption>tolerances per check</caption>
 * <tr><th>check</th><th>default</th><th>property</th><th>why</th></tr>
 * <tr><td>logits (top 10, probe ids, full last row, logsumexp)</td><td>1e-4 absolute</td>
 *     <td>{@code gpt2.tolerance.logits}</td><td>float32 CPU ports agree to ~1e-5 on these fixtures</td></tr>
 * <tr><td>beam scores</td><td>1e-4 relative</td><td>{@code gpt2.tolerance.beamScore}</td>
 *     <td>sums of log-probs over 16 steps, length-normalised</td></tr>
 * <tr><td>sequence log-prob</td><td>1e-4 relative</td><td>{@code gpt2.tolerance.sequenceLogprob}</td><td>same</td></tr>
 * <tr><td>perplexity</td><td>1e-4 relative</td><td>{@code gpt2.tolerance.perplexity}</td><td>exp of a mean loss</td></tr>
 * <tr><td>warper kept count and top ids</td><td>exact</td><td>(none)</td><td>a set membership, not a float</td></tr>
 * <tr><td>warper probabilities</td><td>1e-5 absolute</td><td>{@code gpt2.tolerance.warperProb}</td>
 *     <td>probabilities are at most 1</td></tr>
 * <tr><td>activations</td><td>2e-5 absolute + 1e-5 relative</td>
 *     <td>{@code gpt2.tolerance.activationAbs}, {@code gpt2.tolerance.activationRel}</td>
 *     <td>an independent NumPy forward matched to 1.4e-6; each classic porting mistake shows above this</td></tr>
 * <tr><td>near-tie factor</td><td>10</td><td>{@code gpt2.tolerance.nearTieFactor}</td>
 *     <td>a divergent sequence is called a near-tie when the golden's {@code min_top2_gap} is below
 *     factor x the logits tolerance (1e-3 by default)</td></tr>
 * <tr><td>real-weight goldens (log-probs, perplexity)</td><td>1e-3 relative</td><td>{@code gpt2.tolerance.real}</td>
 *     <td>recorded by others on CUDA and quoted to 4-5 digits; logits slices use the tolerance in the file</td></tr>
 * <tr><td>token sequences, tokenizer ids, decoded text</td><td>exact</td><td>(none)</td>
 *     <td>see below</td></tr>
 * </table>
 *
 * <p>Token sequences have no tolerance on purpose: a GPU or bfloat16 port loosens the logits
 * tolerance, never token equality. When tokens differ, the sequence report says whether the
 * golden came close to a tie (then tighten the logits first) or not (then the generation logic is wrong).
 */
public final class Tolerances {

    public static final String PREFIX = "gpt2.tolerance.";

    private final double logitsAbs;
    private final double beamScoreRel;
    private final double sequenceLogprobRel;
    private final double perplexityRel;
    private final double warperProbAbs;
    private final double activationAbs;
    private final double activationRel;
    private final double nearTieFactor;
    private final double realRel;

    private Tolerances(Builder b) {
        logitsAbs = b.logitsAbs;
        beamScoreRel = b.beamScoreRel;
        sequenceLogprobRel = b.sequenceLogprobRel;
        perplexityRel = b.perplexityRel;
        warperProbAbs = b.warperProbAbs;
        activationAbs = b.activationAbs;
        activationRel = b.activationRel;
        nearTieFactor = b.nearTieFactor;
        realRel = b.realRel;
    }

    public static Tolerances defaults() {
        return builder().build();
    }

    /** The defaults, overridden by any {@code gpt2.tolerance.*} system property. */
    public static Tolerances fromSystemProperties() {
        return builder().overrideFrom(System.getProperties()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public double logitsAbs() { return logitsAbs; }
    public double beamScoreRel() { return beamScoreRel; }
    public double sequenceLogprobRel() { return sequenceLogprobRel; }
    public double perplexityRel() { return perplexityRel; }
    public double warperProbAbs() { return warperProbAbs; }
    public double activationAbs() { return activationAbs; }
    public double activationRel() { return activationRel; }
    public double nearTieFactor() { return nearTieFactor; }
    public double realRel() { return realRel; }

    /** Below this top-2 gap a divergent sequence may be float noise rather than a bug. */
    public double nearTieGap() {
        return nearTieFactor * logitsAbs;
    }

    /** Whether {@code actual} is within {@code rel} of {@code expected}, relative to {@code |expected|}. */
    public static boolean withinRelative(double expected, double actual, double rel) {
        return Math.abs(actual - expected) <= rel * Math.abs(expected);
    }

    @Override
    public String toString() {
        return "logits " + logitsAbs + " abs, beam scores " + beamScoreRel + " rel, sequence log-prob "
                + sequenceLogprobRel + " rel, perplexity " + perplexityRel + " rel, warper probs " + warperProbAbs
                + " abs, activations " + activationAbs + " abs + " + activationRel + " rel, near-tie gap < "
                + nearTieGap() + ", real goldens " + realRel + " rel";
    }

    public static final class Builder {
        private double logitsAbs = 1e-4;
        private double beamScoreRel = 1e-4;
        private double sequenceLogprobRel = 1e-4;
        private double perplexityRel = 1e-4;
        private double warperProbAbs = 1e-5;
        private double activationAbs = 2e-5;
        private double activationRel = 1e-5;
        private double nearTieFactor = 10;
        private double realRel = 1e-3;

        private Builder() {}

        public Builder logitsAbs(double v) { logitsAbs = check("logits", v); return this; }
        public Builder beamScoreRel(double v) { beamScoreRel = check("beamScore", v); return this; }
        public Builder sequenceLogprobRel(double v) { sequenceLogprobRel = check("sequenceLogprob", v); return this; }
        public Builder perplexityRel(double v) { perplexityRel = check("perplexity", v); return this; }
        public Builder warperProbAbs(double v) { warperProbAbs = check("warperProb", v); return this; }
        public Builder activationAbs(double v) { activationAbs = check("activationAbs", v); return this; }
        public Builder activationRel(double v) { activationRel = check("activationRel", v); return this; }
        public Builder nearTieFactor(double v) { nearTieFactor = check("nearTieFactor", v); return this; }
        public Builder realRel(double v) { realRel = check("real", v); return this; }

        /** Applies every {@code gpt2.tolerance.<name>} found in {@code props}; an unknown name or a bad number is refused. */
        public Builder overrideFrom(Properties props) {
            for (String key : props.stringPropertyNames()) {
                if (!key.startsWith(PREFIX)) {
                    continue;
                }
                String name = key.substring(PREFIX.length());
                String raw = props.getProperty(key).trim();
                double v;
                try {
                    v = Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("system property " + key + " must be a number, got \"" + raw + "\"");
                }
                switch (name) {
                    case "logits" -> logitsAbs(v);
                    case "beamScore" -> beamScoreRel(v);
                    case "sequenceLogprob" -> sequenceLogprobRel(v);
                    case "perplexity" -> perplexityRel(v);
                    case "warperProb" -> warperProbAbs(v);
                    case "activationAbs" -> activationAbs(v);
                    case "activationRel" -> activationRel(v);
                    case "nearTieFactor" -> nearTieFactor(v);
                    case "real" -> realRel(v);
                    default -> throw new IllegalArgumentException("unknown tolerance property " + key + "; known: "
                            + PREFIX + "{logits, beamScore, sequenceLogprob, perplexity, warperProb, activationAbs,"
                            + " activationRel, nearTieFactor, real}");
                }
            }
            return this;
        }

        public Tolerances build() {
            return new Tolerances(this);
        }

        private static double check(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("tolerance " + PREFIX + name + " must be a finite number >= 0, got " + v);
            }
            return v;
        }
    }
}
