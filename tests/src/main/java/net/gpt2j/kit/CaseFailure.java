package net.gpt2j.kit;

import org.opentest4j.AssertionFailedError;

/**
 * A golden case that failed its check. The message starts with the case's name, because Surefire's
 * closing summary lists only failure messages and the kit removes stack traces; {@link #report()} is
 * the check's report alone, for the reports that name the case beside it (kit-report.md, the JUnit
 * XML, {@link KitResult}).
 */
public final class CaseFailure extends AssertionFailedError {

    private final String report;

    CaseFailure(String caseName, String report) {
        super(caseName + ": " + report);
        this.report = report;
        setStackTrace(new StackTraceElement[0]); // the report says everything; the kit's frames say nothing to a port's author
    }

    /** The check's report, without the case's name. */
    public String report() {
        return report;
    }
}
