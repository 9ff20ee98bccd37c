package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.UriSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** Counts tests by case kind (read from the test's {@code gpt2j-kit:} source URI) and keeps every failure message. */
final class SummaryListener implements TestExecutionListener {

    /** Kind for failures outside any case: the suite or a factory itself failed. */
    static final String KIT = "kit";

    private final Map<String, int[]> counts = new LinkedHashMap<>(); // cases, passed, failed, skipped
    private final List<KitResult.Failure> failures = new ArrayList<>();
    private final Map<String, Integer> skipReasons = new LinkedHashMap<>();

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            count(kind(id), 3);
            skipReasons.merge(reason, 1, Integer::sum);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String message = result.getThrowable().map(t -> t.getMessage() == null ? t.toString() : t.getMessage()).orElse("");
        if (!id.isTest()) {
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                count(KIT, 2);
                failures.add(new KitResult.Failure(id.getDisplayName(), message));
            }
            return;
        }
        switch (result.getStatus()) {
            case SUCCESSFUL -> count(kind(id), 1);
            case FAILED -> {
                count(kind(id), 2);
                Throwable t = result.getThrowable().orElse(null);
                boolean checkFailure = t instanceof AssertionError;
                failures.add(new KitResult.Failure(id.getDisplayName(), checkFailure ? message : String.valueOf(t)));
            }
            case ABORTED -> {
                count(kind(id), 3);
                skipReasons.merge(message, 1, Integer::sum);
            }
        }
    }

    private void count(String kind, int column) {
        int[] c = counts.computeIfAbsent(kind, k -> new int[4]);
        c[0]++;
        c[column]++;
    }

    private static String kind(TestIdentifier id) {
        Optional<String> k = id.getSource().filter(UriSource.class::isInstance)
                .map(s -> GoldenCase.kindOf(((UriSource) s).getUri()));
        return k.orElse(KIT);
    }

    KitResult result(java.nio.file.Path reportDir) {
        Map<String, KitResult.Counts> byKind = new LinkedHashMap<>();
        counts.forEach((k, c) -> byKind.put(k, new KitResult.Counts(c[0], c[1], c[2], c[3])));
        return new KitResult(byKind, failures, skipReasons, reportDir);
    }
}
