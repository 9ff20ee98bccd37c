package net.gpt2j.kit.check;

/** Lets tests outside this package compute a row's logsumexp the way {@link LogitsCheck} does. */
public final class LogitsCheckAccess {

    private LogitsCheckAccess() {}

    public static double logsumexp(float[] row) {
        return LogitsCheck.logsumexp(row);
    }
}
