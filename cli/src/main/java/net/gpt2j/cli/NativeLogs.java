package net.gpt2j.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Keeps TensorFlow's native log lines off the console unless {@code -v}. TensorFlow writes them
 * from C++ straight to file descriptor 2, so no Java logging setting reaches them:
 * <ul>
 * <li>its own lines ({@code port.cc}, {@code cpu_feature_guard.cc}) obey {@code TF_CPP_MIN_LOG_LEVEL},
 *     read from the process environment when the library loads; Java cannot change its own environment,
 *     so the variable is set through libc's {@code setenv} (JNA, already on the classpath through DJL)
 *     before anything loads TensorFlow;</li>
 * <li>abseil's lines ("All log messages before absl::InitializeLog()...", MLIR's "V1 optimization pass
 *     is not enabled") ignore that variable but are printed once per process, on the first session
 *     run: {@link #quietTensorFlowStart()} runs a one-constant graph while descriptor 2 points at
 *     {@code /dev/null}, so they are spent where nobody sees them.</li>
 * </ul>
 * Where libc cannot be reached (not Linux, no JNA) nothing is silenced and nothing fails. TensorFlow's
 * classes are touched only in {@link TensorFlowWarmUp}, so this class loads without them (a classpath
 * with no TensorFlow runs every command that does not need it).
 *
 * <p>Only the commands that start TensorFlow call it ({@code fixture}, {@code verify}, {@code
 * pipeline}, {@code convert --reader tensorflow}): loading JNA and libc took 0.15-0.3 s of every
 * command's start, {@code generate} and {@code gpt2 -V} included, which never load TensorFlow
 * (docs/DECISIONS.md, "TensorFlow's log lines").
 */
final class NativeLogs {

    static final String TF_LEVEL = "TF_CPP_MIN_LOG_LEVEL";

    private static boolean tensorFlowStarted;

    private NativeLogs() {}

    /** libc, the few calls used here. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        int close(int fd);
    }

    private static LibC libc() {
        try {
            return Native.load("c", LibC.class);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: leave the logs as they are
            return null;
        }
    }

    /**
     * Call before a command's first TensorFlow use: sets TensorFlow's own log level (errors only,
     * unless the user set one) and spends abseil's one-time lines out of sight. Nothing with {@code -v}.
     */
    static synchronized void quietTensorFlowStart() {
        if (tensorFlowStarted || Verbosity.verbose()) {
            return;
        }
        tensorFlowStarted = true;
        LibC c = libc();
        if (c != null && System.getenv(TF_LEVEL) == null) {
            c.setenv(TF_LEVEL, "2", 0); // 2: errors only (0 all, 1 no INFO, 3 no ERROR)
        }
        int saved = c == null ? -1 : c.dup(2);
        int devNull = saved < 0 ? -1 : c.open("/dev/null", 1 /* O_WRONLY */);
        if (devNull < 0) {
            if (saved >= 0) {
                c.close(saved);
            }
            return;
        }
        System.err.flush();
        c.dup2(devNull, 2);
        try {
            TensorFlowWarmUp.runOneConstant();
        } catch (RuntimeException | LinkageError e) {
            // TensorFlow did not start, or is not on the classpath: the command's own use of it reports why
        } finally {
            System.err.flush();
            c.dup2(saved, 2);
            c.close(saved);
            c.close(devNull);
        }
    }
}
