package net.gpt2j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal, so progress bars (which redraw a line with carriage returns) are
 * drawn only where someone watches them and CI logs get none. Java has no isatty for one stream:
 * {@link System#console()} needs stdin and stdout to be terminals too, which is wrong for
 * {@code gpt2 ... > out.txt}. So: {@code -Dgpt2.stderr.tty=true|false} when the launcher knows
 * ({@code [ -t 2 ]}), else where stderr's descriptor points on Linux ({@code /proc/self/fd/2} is
 * {@code /dev/pts/N} or {@code /dev/ttyN}), else the console check.
 */
final class Terminal {

    static final String PROPERTY = "gpt2.stderr.tty";

    private Terminal() {}

    static boolean stderrIsTerminal() {
        String told = System.getProperty(PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        Boolean fd2 = isTerminal(2);
        return fd2 != null ? fd2 : System.console() != null;
    }

    /** Whether stdin is a terminal (where a command reading it waits for someone to type). */
    static boolean stdinIsTerminal() {
        Boolean fd0 = isTerminal(0);
        return fd0 != null ? fd0 : System.console() != null;
    }

    /** Whether descriptor {@code fd} is a terminal, or null where Linux's {@code /proc} cannot say. */
    private static Boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (!Files.isSymbolicLink(link)) {
            return null;
        }
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Progress bars: on a terminal and not asked to be quiet. */
    static boolean showProgress() {
        return !Verbosity.quiet() && stderrIsTerminal();
    }
}
