package net.gpt2j.kit.check;

import java.util.OptionalDouble;
import net.gpt2j.kit.BeamResult;
import net.gpt2j.kit.Tolerances;
import net.gpt2j.kit.golden.ModelGolden.BeamCase;

/** Beam search: every returned sequence exactly, then every score within the relative tolerance. */
public final class BeamCheck {

    private BeamCheck() {}

    private static String scoringOf(String hfVersion) {
        try {
            return " (" + net.gpt2j.golden.HfBeamScoring.forVersion(hfVersion) + ")";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    public static CheckResult check(BeamCase expected, BeamResult actual, String hfVersion, Tolerances tol) {
        int n = expected.sequences().length;
        if (actual.sequences().length != n || actual.scores().length != n) {
            return CheckResult.notOk("beam NOT OK: expected " + n + " sequences and scores, the port returned "
                    + actual.sequences().length + " sequences and " + actual.scores().length + " scores");
        }
        for (int i = 0; i < n; i++) {
            CheckResult seq = SequenceCheck.compare("beam sequence " + i, expected.sequences()[i], actual.sequences()[i],
                    expected.inputIds().length, OptionalDouble.empty(), tol);
            if (!seq.ok()) {
                return seq;
            }
        }
        double worst = 0;
        int worstAt = 0;
        int bad = 0;
        for (int i = 0; i < n; i++) {
            double e = expected.sequencesScores()[i];
            double a = actual.scores()[i];
            double rel = Math.abs(a - e) / Math.max(Math.abs(e), Double.MIN_NORMAL);
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
            if (rel > worst) {
                worst = rel;
                worstAt = i;
            }
            if (rel > tol.beamScoreRel()) {
                bad++;
            }
        }
        String where = "sequence " + worstAt + ": expected " + Fmt.v(expected.sequencesScores()[worstAt]) + ", got "
                + Fmt.v(actual.scores()[worstAt]);
        if (bad == 0) {
            return CheckResult.ok("beam OK: " + n + " sequences identical; scores max relative diff " + Fmt.e(worst) + " at "
                    + where + " (tolerance " + Fmt.e(tol.beamScoreRel()) + ")").withMargin(worst, tol.beamScoreRel(), "rel");
        }
        return CheckResult.notOk("beam scores NOT OK: " + bad + " of " + n + " scores differ by more than "
                + Fmt.e(tol.beamScoreRel()) + " relative; max relative diff " + Fmt.e(worst) + " at " + where
                + "\n  the sequences are identical, so the likely cause is the score's length normalisation: this golden"
                + " was recorded with transformers " + hfVersion + scoringOf(hfVersion) + "; before 4.36 HF divides a"
                + " hypothesis' summed log-probability by (prompt + generated) ** length_penalty, from 4.36 by generated **"
                + " length_penalty (net.gpt2j.golden.HfBeamScoring)")
                .withMargin(worst, tol.beamScoreRel(), "rel");
    }
}
