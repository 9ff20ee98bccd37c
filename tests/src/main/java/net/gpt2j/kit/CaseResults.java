package net.gpt2j.kit;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.gpt2j.kit.check.CheckResult;

/**
 * The check result of every case that ran, by the case's test source URI (unique per case), so a
 * listener that sees only test identifiers can report each case's margin, pass or fail.
 */
final class CaseResults {

    private final Map<URI, CheckResult> byCase = new ConcurrentHashMap<>();

    void put(URI caseSource, CheckResult result) {
        byCase.put(caseSource, result);
    }

    Optional<CheckResult> get(URI caseSource) {
        return Optional.ofNullable(caseSource == null ? null : byCase.get(caseSource));
    }
}
