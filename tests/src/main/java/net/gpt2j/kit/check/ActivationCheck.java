package net.gpt2j.kit.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.gpt2j.kit.ProbeRun;
import net.gpt2j.kit.Tolerances;
import net.gpt2j.kit.golden.ActivationsGolden;
import net.gpt2j.kit.golden.ActivationsGolden.Probe;

/**
 * Compares every probe of an activations golden, in forward order, and prints a table like llm.c's
 * test_gpt2.c: probe, shape, max |diff|, where, OK / NOT OK. An element passes when
 * {@code |actual - expected| <= abs + rel * |expected|}. The first divergent probe is named with a
 * hint from {@link DivergenceHints}.
 *
 * <p>Verdict rule (partial probes, as {@link ProbeRun} allows): the case is judged on the probes the
 * port reports. It passes when it reports at least one probe and every reported probe is within
 * tolerance; probes it leaves out (a port may keep q or c_fc in local buffers) are listed as not
 * reported in the first line and the table, counted neither as passed nor as failed. A port that
 * reports none of the golden's probes fails. Where a gap hides the step between the last matching
 * and the first divergent probe, the hint says so rather than guess.
 */
public final class ActivationCheck {

    private ActivationCheck() {}

    public static CheckResult check(ActivationsGolden golden, ProbeRun run, Tolerances tol) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "  %-14s %-9s %-10s %-12s %s",
                "probe", "shape", "max|diff|", "at [pos,col]", "result"));
        Map<String, Boolean> matched = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        String first = null;
        String lastMatchedBeforeFirst = null;
        double firstMax = 0;
        String firstDetail = "";
        int bad = 0;
        double overallMax = 0;
        for (Probe p : golden.probes()) {
            String shape = p.rows() + "x" + p.cols();
            Optional<float[]> got = run.get(p.name());
            if (got.isEmpty()) {
                missing.add(p.name());
                table.append(row(p.name(), shape, "-", "-", "not reported"));
                continue;
            }
            float[] a = got.get();
            if (a.length != p.values().length) {
                matched.put(p.name(), false);
                bad++;
                table.append(row(p.name(), shape, "-", "-", "NOT OK (" + a.length + " values, expected " + p.values().length + ")"));
                if (first == null) {
                    first = p.name();
                    firstMax = Double.POSITIVE_INFINITY;
                    firstDetail = "the port's probe has " + a.length + " values, expected " + p.rows() + " x " + p.cols();
                }
                continue;
            }
            double max = -1;
            int maxAt = 0;
            boolean pass = true;
            for (int i = 0; i < a.length; i++) {
                double e = p.values()[i];
                double d = Math.abs(a[i] - e);
                if (Double.isNaN(d)) {
                    d = Double.POSITIVE_INFINITY;
                }
                if (d > max) {
                    max = d;
                    maxAt = i;
                }
                if (d > tol.activationAbs() + tol.activationRel() * Math.abs(e)) {
                    pass = false;
                }
            }
            overallMax = Math.max(overallMax, max);
            int pos = maxAt / p.cols();
            int col = maxAt % p.cols();
            matched.put(p.name(), pass);
            table.append(row(p.name(), shape, Fmt.e(max), "[" + pos + ", " + col + "]", pass ? "OK" : "NOT OK"));
            if (pass && first == null) {
                lastMatchedBeforeFirst = p.name();
            }
            if (!pass) {
                bad++;
                if (first == null) {
                    first = p.name();
                    firstMax = max;
                    firstDetail = "max |diff| " + Fmt.e(max) + " at position " + pos + ", column " + col + ": expected "
                            + Fmt.v(p.values()[maxAt]) + ", got " + Fmt.v(a[maxAt]);
                }
            }
        }
        String tolText = Fmt.e(tol.activationAbs()) + " abs + " + Fmt.e(tol.activationRel()) + " rel";
        if (matched.isEmpty()) {
            return CheckResult.notOk("activations NOT OK: the port reported none of the " + golden.probes().size()
                    + " probes (expected names like embed, h0.ln_1, h0.attn.q)\n" + table);
        }
        String divergence = first == null ? null
                : "first divergent probe " + first + " (" + firstDetail + "); " + bad + " of " + matched.size()
                        + " reported probes out of " + tolText + "\n  "
                        + DivergenceHints.hint(first, matched, firstMax, lastMatchedBeforeFirst);
        String notReported = missing.isEmpty() ? ""
                : "; judged on the " + matched.size() + " reported probes, " + missing.size() + " of " + golden.probes().size()
                        + " not reported: " + String.join(", ", missing);
        String kind = "abs + " + Fmt.e(tol.activationRel()) + " rel";
        double worst = first != null && Double.isInfinite(firstMax) ? Double.POSITIVE_INFINITY : overallMax;
        if (divergence == null) {
            return CheckResult.ok("activations OK: " + (missing.isEmpty() ? "all " : "") + matched.size() + " probes within "
                    + tolText + "; max |diff| " + Fmt.e(overallMax) + notReported + "\n" + table)
                    .withMargin(worst, tol.activationAbs(), kind);
        }
        int cut = divergence.indexOf('\n');
        return CheckResult.notOk("activations NOT OK: " + divergence.substring(0, cut) + notReported + divergence.substring(cut)
                + "\n" + table).withMargin(worst, tol.activationAbs(), kind);
    }

    private static String row(String name, String shape, String max, String at, String result) {
        return String.format(Locale.ROOT, "%n  %-14s %-9s %-10s %-12s %s", name, shape, max, at, result);
    }
}
