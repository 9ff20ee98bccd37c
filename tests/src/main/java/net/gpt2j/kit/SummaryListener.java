package net.gpt2j.kit;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.UriSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Counts tests by case kind (read from the test's {@code gpt2j-kit:} source URI), keeps every
 * failure message and every numeric case's margin (from the {@link CaseResults} the tests filled).
 */
final class SummaryListener implements TestExecutionListener {

    /** Kind for failures outside any case: the suite or a factory itself failed. */
    static final String KIT = "kit";

    private final CaseResults results;
    private final Map<String, int[]> counts = new LinkedHashMap<>(); // cases, passed, failed, skipped
    private final List<KitResult.Failure> failures = new ArrayList<>();
    private final Map<String, Integer> skipReasons = new LinkedHashMap<>();
    private final List<KitResult.CaseMargin> margins = new ArrayList<>();

    SummaryListener(CaseResults results) {
        this.results = results;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            count(kind(id), 3);
            skipReasons.merge(reason, 1, Integer::sum);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String message = result.getThrowable().map(SummaryListener::message).orElse("");
        if (!id.isTest()) {
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                count(KIT, 2);
                failures.add(new KitResult.Failure(id.getDisplayName(), message));
            }
            return;
        }
        String kind = kind(id);
        switch (result.getStatus()) {
            case SUCCESSFUL -> count(kind, 1);
            case FAILED -> {
                count(kind, 2);
                failures.add(new KitResult.Failure(id.getDisplayName(), message));
            }
            case ABORTED -> {
                count(kind, 3);
                skipReasons.merge(message, 1, Integer::sum);
            }
        }
        results.get(uri(id)).flatMap(r -> r.marginIfNumeric()).ifPresent(m -> margins.add(
                new KitResult.CaseMargin(id.getDisplayName(), kind, result.getStatus() == TestExecutionResult.Status.SUCCESSFUL, m)));
    }

    /** A check's report as it is (a failed case's without its name: the reports name it beside); anything else a port threw, as its root cause in one line. */
    static String message(Throwable t) {
        if (t instanceof CaseFailure f) {
            return f.report();
        }
        if (t instanceof AssertionError || t instanceof org.opentest4j.TestAbortedException) {
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        return "the port threw " + CauseChain.root(t);
    }

    private void count(String kind, int column) {
        int[] c = counts.computeIfAbsent(kind, k -> new int[4]);
        c[0]++;
        c[column]++;
    }

    static URI uri(TestIdentifier id) {
        return id.getSource().filter(UriSource.class::isInstance).map(s -> ((UriSource) s).getUri()).orElse(null);
    }

    static String kind(TestIdentifier id) {
        return Optional.ofNullable(GoldenCase.kindOf(uri(id))).orElse(KIT);
    }

    KitResult result(java.nio.file.Path reportDir, List<KitResult.ProviderFailure> providerFailures) {
        Map<String, KitResult.Counts> byKind = new LinkedHashMap<>();
        counts.forEach((k, c) -> byKind.put(k, new KitResult.Counts(c[0], c[1], c[2], c[3])));
        return new KitResult(byKind, failures, skipReasons, reportDir, margins, providerFailures);
    }
}
