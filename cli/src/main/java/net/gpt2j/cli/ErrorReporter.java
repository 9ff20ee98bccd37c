package net.gpt2j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Turns anything a command throws, {@link Error}s included, into the one line a user sees: the
 * command, what went wrong and, where there is one, what to do about it. The Java stack trace is
 * printed only with {@code -v} (or {@code -Dgpt2.trace=true}).
 */
final class ErrorReporter {

    /** The exit status of a command that failed at run time (argument errors exit 2, as picocli's). */
    static final int FAILED = 1;

    private ErrorReporter() {}

    static int report(Throwable t, String command, PrintWriter err) {
        err.println("gpt2 " + command + ": error: " + line(t, command));
        if (Verbosity.verbose() || Boolean.getBoolean("gpt2.trace")) {
            t.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /** One line, however the throwable was built. */
    static String line(Throwable t) {
        return line(t, "");
    }

    /** One line for {@code command}'s failure (its name tailors the out-of-memory advice). */
    static String line(Throwable t, String command) {
        // new X(cause) copies cause.toString() as its message: the cause says it better
        if (t.getCause() != null && t.getCause() != t && String.valueOf(t.getCause()).equals(t.getMessage())) {
            return line(t.getCause(), command);
        }
        if (t instanceof OutOfMemoryError oom) {
            return outOfMemory(oom, command);
        }
        if (t instanceof StackOverflowError) {
            return "the Java stack overflowed (an input nested or recursive beyond what the tool handles)";
        }
        String message = message(t);
        Throwable root = rootCause(t);
        if (root != t) {
            if (root instanceof OutOfMemoryError oom) {
                return message + ": " + outOfMemory(oom, command);
            }
            // a parser's message runs on over lines (Jackson adds the source and location): its first says it
            String cause = message(root).strip().lines().findFirst().orElse("");
            if (!message.contains(cause)) {
                message = message + ": " + cause;
            }
            if (root instanceof JsonProcessingException json && json.getLocation() != null && json.getLocation().getLineNr() > 0) {
                message = message.strip().lines().findFirst().orElse("") + " (line " + json.getLocation().getLineNr()
                        + ", column " + json.getLocation().getColumnNr() + ")";
            }
        }
        return firstLine(message);
    }

    /** The heap's size and how to get a bigger one; asking for less only where a request sets the size. */
    private static String outOfMemory(OutOfMemoryError oom, String command) {
        long maxHeapMb = Runtime.getRuntime().maxMemory() >> 20;
        String what = oom.getMessage() == null ? "" : " (" + oom.getMessage() + ")";
        String less = command.equals("generate") ? "ask for less (fewer --num-beams, prompts or --max-new-tokens) or " : "";
        return String.format(Locale.ROOT, "out of memory%s with a %,d MB Java heap: %sgive the JVM more, e.g. GPT2_JAVA_OPTS=-Xmx%dg",
                what, maxHeapMb, less, Math.max(2, 2 * ((maxHeapMb + 1023) >> 10)));
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        // messages of JDK exceptions name only the file; say what kind of problem it is
        if (t instanceof java.nio.file.NoSuchFileException) {
            return m + ": not found";
        }
        if (t instanceof java.nio.file.AccessDeniedException) {
            return m + ": permission denied";
        }
        if (t instanceof java.nio.file.FileAlreadyExistsException) {
            return m + ": already exists";
        }
        return m;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        for (int depth = 0; r.getCause() != null && r.getCause() != r && depth < 32; depth++) {
            r = r.getCause();
        }
        return r;
    }

    private static String firstLine(String message) {
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        if (nl < 0) {
            return trimmed;
        }
        long more = trimmed.lines().count() - 1;
        return trimmed.substring(0, nl).strip() + " (" + more + " more line" + (more == 1 ? "" : "s") + " with -v)";
    }
}
