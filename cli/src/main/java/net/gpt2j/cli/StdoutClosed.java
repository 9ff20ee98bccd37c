package net.gpt2j.cli;

/**
 * stdout's reader has gone: a closed pipe, as {@code gpt2 generate ... | head -c 100} closes it once it
 * has read enough. The JVM ignores SIGPIPE and {@link java.io.PrintStream} swallows the write errors,
 * so without this the generation ran to its last token with nobody reading. {@link TokenStreamer}
 * throws it after the first write that failed; {@code generate} then stops and exits with
 * {@link #EXIT}, silently, as a Unix tool killed by SIGPIPE does.
 */
final class StdoutClosed extends RuntimeException {

    /** 128 + SIGPIPE (13): the status a shell reports for a writer stopped by a closed pipe. */
    static final int EXIT = 141;

    StdoutClosed() {
        super("stdout was closed by its reader", null, false, false);
    }
}
