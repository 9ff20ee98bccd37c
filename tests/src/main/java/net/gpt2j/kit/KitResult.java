package net.gpt2j.kit;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link KitRunner} run found: counts per case kind, every failure with its report, the
 * skip reasons with how often each occurred, and where the reports were written.
 */
public record KitResult(Map<String, Counts> byKind, List<Failure> failures, Map<String, Integer> skipReasons, Path reportDir) {

    public KitResult {
        byKind = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byKind)); // keeps run order
        failures = List.copyOf(failures);
        skipReasons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skipReasons));
    }

    public record Counts(int cases, int passed, int failed, int skipped) {}

    /** A failed test: its display name and the check's report (or the exception's message). */
    public record Failure(String test, String message) {}

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

    /** The summary as a plain table: kind, cases, passed, failed, skipped. */
    public String summaryTable() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s %6s %7s %7s %8s%n", "kind", "cases", "passed", "failed", "skipped"));
        byKind.forEach((kind, c) -> sb.append(String.format(Locale.ROOT, "%-20s %6d %7d %7d %8d%n", kind, c.cases(), c.passed(), c.failed(), c.skipped())));
        sb.append(String.format(Locale.ROOT, "%-20s %6d %7d %7d %8d%n", "total", total(), passed(), failed(), skipped()));
        return sb.toString();
    }
}
