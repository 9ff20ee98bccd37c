package net.gpt2j.cli;

/**
 * How much the command prints besides its results: {@code -q} only results and errors, {@code -v}
 * also native library logs and an error's Java stack trace. One setting per run, chosen by the root
 * command's inherited options and read by every subcommand, the error reporter and the progress output.
 */
enum Verbosity {
    QUIET,
    NORMAL,
    VERBOSE;

    private static volatile Verbosity current = NORMAL;

    static Verbosity current() {
        return current;
    }

    static void set(Verbosity v) {
        current = v;
    }

    static boolean quiet() {
        return current == QUIET;
    }

    static boolean verbose() {
        return current == VERBOSE;
    }
}
