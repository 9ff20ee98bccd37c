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
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    /** Progress bars: on a terminal and not asked to be quiet. */
    static boolean showProgress() {
        return !Verbosity.quiet() && stderrIsTerminal();
    }
}
