package net.gpt2j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * stdout could not be written: usually its reader has gone, a closed pipe, as {@code gpt2 generate ...
 * | head -c 100} closes it once it has read enough. The JVM ignores SIGPIPE and {@link PrintStream}
 * swallows the write errors, so without this the generation ran to its last token with nobody
 * reading. {@link TokenStreamer} throws it after the first write that failed; {@code generate} then
 * stops and ends as {@link #exitStatus} says. Every other command (and generate's output at its end)
 * is checked once it has run, by {@link #statusAfterSuccess}.
 */
final class StdoutClosed extends RuntimeException {

    /** 128 + SIGPIPE (13): the status a shell reports for a writer stopped by a closed pipe. */
    static final int EXIT = 141;
    private static final Path STDOUT = Path.of("/proc/self/fd/1");

    StdoutClosed() {
        super("stdout was closed by its reader", null, false, false);
    }

    /**
     * How a command whose stdout failed ends. A pipe or socket (or where Linux's {@code /proc} cannot
     * say): status {@link #EXIT}, silently, as a Unix tool stopped by SIGPIPE does. A file or device
     * (a full disk behind {@code > out.txt}): a one-line error naming it, status 1, since nobody
     * closed anything and the output is lost. {@code command} as the user typed it: {@code gpt2 generate}.
     */
    static int exitStatus(String command, PrintStream err) {
        String target = stdoutTarget();
        if (target == null || target.startsWith("pipe:") || target.startsWith("socket:")) {
            return EXIT;
        }
        err.println(command + ": error: cannot write the output to " + target);
        err.flush();
        return ErrorReporter.FAILED;
    }

    /**
     * The status of {@code command} (as {@code gpt2 tokenize}), which returned 0: still 0 when all it printed
     * reached stdout, else as {@link #exitStatus} says. {@link PrintStream} keeps a failed write to itself
     * ({@code gpt2 tokenize TEXT > /dev/full} printed nothing and exited 0), so this asks it once, for every
     * command, after the command ran; {@code picocliOut} is where picocli printed --help and -V.
     */
    static int statusAfterSuccess(String command, PrintWriter picocliOut) {
        picocliOut.flush();
        // checkError flushes first, so output still buffered is tried here
        return System.out.checkError() ? exitStatus(command, System.err) : 0;
    }

    /** Where fd 1 points ("pipe:[123]", "/tmp/out.txt"), or null where it cannot be read. */
    private static String stdoutTarget() {
        try {
            return Files.readSymbolicLink(STDOUT).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
