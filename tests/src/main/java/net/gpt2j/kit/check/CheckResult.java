package net.gpt2j.kit.check;

/**
 * The outcome of one check: OK or NOT OK, and a plain report (the first line says which and the
 * largest difference; following lines say where and, for failures, what it likely means).
 */
public record CheckResult(boolean ok, String report) {

    public static CheckResult ok(String report) {
        return new CheckResult(true, report);
    }

    public static CheckResult notOk(String report) {
        return new CheckResult(false, report);
    }

    /** Both must be OK; the reports are joined. */
    public CheckResult and(CheckResult other) {
        return new CheckResult(ok && other.ok, report + "\n" + other.report);
    }
}
