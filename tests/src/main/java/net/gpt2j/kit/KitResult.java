package net.gpt2j.kit;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.gpt2j.kit.check.CheckResult.Margin;

/**
 * What a {@link KitRunner} run found: counts per case kind, every failure with its report, the
 * skip reasons with how often each occurred, each numeric case's margin (pass or fail), each port
 * provider failure once with its cause chain, and where the reports were written.
 */
public record KitResult(Map<String, Counts> byKind, List<Failure> failures, Map<String, Integer> skipReasons, Path reportDir,
        List<CaseMargin> margins, List<ProviderFailure> providerFailures) {

    public KitResult {
        byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind)); // keeps run order
        failures = List.copyOf(failures);
        skipReasons = Collections.unmodifiableMap(new LinkedHashMap<>(skipReasons));
        margins = List.copyOf(margins);
        providerFailures = List.copyOf(providerFailures);
    }

    public KitResult(Map<String, Counts> byKind, List<Failure> failures, Map<String, Integer> skipReasons, Path reportDir) {
        this(byKind, failures, skipReasons, reportDir, List.of(), List.of());
    }

    public record Counts(int cases, int passed, int failed, int skipped) {}

    /** A failed test: its display name and the check's report (or the exception's message). */
    public record Failure(String test, String message) {

        /** The report's first line: what failed and by how much, for a one-line console listing. */
        public String reason() {
            return message == null ? "" : message.lines().findFirst().orElse("");
        }
    }

    /** A numeric case's largest difference and tolerance, recorded whether it passed or failed. */
    public record CaseMargin(String test, String kind, boolean passed, Margin margin) {}

    /**
     * The port provider threw for a model: {@code model} as the kit described it, the innermost
     * cause in one line, and the whole chain (outermost first), once per provider failure.
     */
    public record ProviderFailure(String model, String rootCause, String causeChain) {}

    public int passed() {
        return byKind.values().stream().mapToInt(Counts::passed).sum();
    }

    public int failed() {
        return byKind.values().stream().mapToInt(Counts::failed).sum();
    }

    public int skipped() {
        return byKind.values().stream().mapToInt(Counts::skipped).sum();
    }

    public int total() {
        return byKind.values().stream().mapToInt(Counts::cases).sum();
    }

    /** No failure and at least one pass: a port that skips everything has not shown compatibility. */
    public boolean success() {
        return failed() == 0 && passed() > 0;
    }

    /** Per kind, the case that used the largest share of its tolerance; kinds without numbers are absent. */
    public Map<String, CaseMargin> worstMarginByKind() {
        Map<String, CaseMargin> worst = new LinkedHashMap<>();
        for (CaseMargin m : margins) {
            worst.merge(m.kind(), m, (a, b) -> b.margin().fraction() > a.margin().fraction() ? b : a);
        }
        return worst;
    }

    /** The worst margin of {@code kind} in short form ({@code 3.1e-06 of 1.0e-04 abs}), or {@code -}. */
    public String worstMarginText(String kind) {
        return Optional.ofNullable(worstMarginByKind().get(kind)).map(m -> String.format(Locale.ROOT, "%.1e of %.1e %s",
                m.margin().maxDiff(), m.margin().tolerance(), m.margin().kind())).orElse("-");
    }

    /** The summary as a plain table: kind, cases, passed, failed, skipped, worst margin. */
    public String summaryTable() {
        String row = "%-20s %6s %7s %7s %8s  %s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, row, "kind", "cases", "passed", "failed", "skipped",
                "worst max|diff| of tolerance"));
        byKind.forEach((kind, c) -> sb.append(String.format(Locale.ROOT, row, kind, c.cases(), c.passed(), c.failed(),
                c.skipped(), worstMarginText(kind))));
        sb.append(String.format(Locale.ROOT, row, "total", total(), passed(), failed(), skipped(), ""));
        return sb.toString();
    }
}
