package net.gpt2j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * stdout could not be written: usually its reader has gone, a closed pipe, as {@code gpt2 generate ...
 * | head -c 100} closes it once it has read enough. The JVM ignores SIGPIPE and {@link PrintStream}
 * swallows the write errors, so without this the generation ran to its last token with nobody
 * reading. {@link TokenStreamer} throws it after the first write that failed; {@code generate} then
 * stops and ends as {@link #exitStatus} says.
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
     * closed anything and the output is lost.
     */
    static int exitStatus(String command, PrintStream err) {
        String target = stdoutTarget();
        if (target == null || target.startsWith("pipe:") || target.startsWith("socket:")) {
            return EXIT;
        }
        err.println("gpt2 " + command + ": error: cannot write the output to " + target);
        return 1;
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
