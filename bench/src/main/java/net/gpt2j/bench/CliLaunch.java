package net.gpt2j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code java} command line the {@code ./gpt2} launcher builds, without the launcher: it would
 * build the project when a source is newer than its jar, which a benchmark must not do between runs.
 * Kept in step with the launcher and {@code cli/launch-env.sh} by hand (CliBenchParsingTest compares):
 * {@link #LOG_FLAGS}, {@code GPT2_JAVA_OPTS} (default {@link #DEFAULT_JAVA_OPTS}),
 * {@code -Dai.djl.offline=true}, {@code GPT2_TORCH_THREADS} as {@code -Dai.djl.pytorch.num_threads},
 * {@code -Dgpt2.stderr.tty=false} (a benchmark's stderr is no terminal), and the environment's
 * {@code OMP_WAIT_POLICY}, {@code PASSIVE} unless set, {@code GOMP_SPINCOUNT}, 2000 unless set, and glibc's
 * {@code MALLOC_MMAP_THRESHOLD_} and {@code MALLOC_TRIM_THRESHOLD_}, 32 MB and 256 MB unless set.
 */
final class CliLaunch {

    static final String MAIN_CLASS = "net.gpt2j.cli.Gpt2";
    static final String DEFAULT_JAVA_OPTS = "-Xmx6g -XX:+UseParallelGC -Xmn256m";
    /** The JVM's log warnings on stderr, not among the results on stdout ({@code gpt2_log_flags}). */
    static final List<String> LOG_FLAGS = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");

    private CliLaunch() {}

    /**
     * @param environment the variables the launcher reads ({@code GPT2_JAVA_OPTS}, {@code GPT2_TORCH_THREADS})
     * @param extraJvmOptions flags a comparison adds (a flight recording, a GC log), before the class path
     */
    static List<String> command(Path javaHome, String classPath, Map<String, String> environment,
            List<String> extraJvmOptions, List<String> gpt2Args) {
        return command(javaHome, classPath, environment, extraJvmOptions, MAIN_CLASS, gpt2Args);
    }

    /** The launcher's JVM options running another main class (a comparison without the CLI's code). */
    static List<String> command(Path javaHome, String classPath, Map<String, String> environment,
            List<String> extraJvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        cmd.addAll(LOG_FLAGS);
        String opts = environment.get("GPT2_JAVA_OPTS");
        for (String opt : (opts == null || opts.isEmpty() ? DEFAULT_JAVA_OPTS : opts).trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        cmd.add("-Dai.djl.offline=true");
        String threads = environment.get("GPT2_TORCH_THREADS");
        if (threads != null && !threads.isEmpty()) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        }
        cmd.add("-Dgpt2.stderr.tty=false");
        cmd.addAll(extraJvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The environment the launcher exports to the JVM: libgomp's idle threads sleep after a short spin,
     * and glibc's malloc keeps fixed thresholds, unless the user chose otherwise.
     */
    static Map<String, String> environment(Map<String, String> ours) {
        return Map.of("OMP_WAIT_POLICY", orDefault(ours, "OMP_WAIT_POLICY", "PASSIVE"),
                "GOMP_SPINCOUNT", orDefault(ours, "GOMP_SPINCOUNT", "2000"),
                "MALLOC_MMAP_THRESHOLD_", orDefault(ours, "MALLOC_MMAP_THRESHOLD_", "33554432"),
                "MALLOC_TRIM_THRESHOLD_", orDefault(ours, "MALLOC_TRIM_THRESHOLD_", "268435456"));
    }

    private static String orDefault(Map<String, String> environment, String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
