package net.gpt2j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a separate process and reports its wall time, output and, when GNU time is at
 * {@code /usr/bin/time}, its peak resident set (the kernel's {@code ru_maxrss}).
 */
final class ChildProcess {

    /** Far above any child a benchmark runs (a 124M conversion or a 64-token generation), so none can hang it. */
    private static final long CHILD_LIMIT_MINUTES = 30;
    private static final Path GNU_TIME = Path.of("/usr/bin/time");
    private static final String MAX_RSS = "Maximum resident set size (kbytes):";

    /**
     * @param maxRssKb -1 when GNU time is missing
     * @param stderr the child's stderr lines when captured, else empty (it went to ours)
     */
    record Result(double seconds, List<String> stdout, long maxRssKb, List<String> stderr) {}

    private ChildProcess() {}

    static boolean gnuTimeAvailable() {
        return Files.isExecutable(GNU_TIME);
    }

    /** Runs {@code command}; its stderr goes to ours. Fails naming the command if it exits non-zero. */
    static Result run(List<String> command, boolean measureRss) throws IOException, InterruptedException {
        return run(command, measureRss, Map.of(), false);
    }

    /**
     * Runs {@code command} with {@code environment} added to ours. With {@code captureStderr} its
     * stderr is kept (in a temporary file, so neither stream can block the other) and returned. Its
     * stdout goes to a temporary file too, read after it exits: read live through a pipe, every token
     * the CLI streams woke this JVM on a machine whose cores the child's decode keeps busy.
     */
    static Result run(List<String> command, boolean measureRss, Map<String, String> environment, boolean captureStderr)
            throws IOException, InterruptedException {
        Path timeFile = null;
        Path errFile = captureStderr ? Files.createTempFile("bench-stderr", ".txt") : null;
        Path outFile = Files.createTempFile("bench-stdout", ".txt");
        List<String> full = new ArrayList<>();
        if (measureRss && gnuTimeAvailable()) {
            timeFile = Files.createTempFile("bench-time", ".txt");
            full.addAll(List.of(GNU_TIME.toString(), "-v", "-o", timeFile.toString()));
        }
        full.addAll(command);
        try {
            ProcessBuilder pb = new ProcessBuilder(full).redirectOutput(outFile.toFile()).redirectError(
                    errFile == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(errFile.toFile()));
            pb.environment().putAll(environment);
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(CHILD_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("command " + String.join(" ", command) + " ran past " + CHILD_LIMIT_MINUTES
                        + " minutes; stopped");
            }
            int code = p.exitValue();
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String> lines = Files.readAllLines(outFile, StandardCharsets.UTF_8);
            List<String> errLines = errFile == null ? List.of() : Files.readAllLines(errFile, StandardCharsets.UTF_8);
            if (code != 0) {
                List<String> said = new ArrayList<>(lines);
                said.addAll(errLines);
                throw new IOException("command " + String.join(" ", command) + " exited with " + code
                        + (said.isEmpty() ? "" : "; its output: " + String.join("\n", said)));
            }
            return new Result(seconds, lines, timeFile == null ? -1 : maxRssKb(timeFile), errLines);
        } finally {
            Files.deleteIfExists(outFile);
            if (timeFile != null) {
                Files.deleteIfExists(timeFile);
            }
            if (errFile != null) {
                Files.deleteIfExists(errFile);
            }
        }
    }

    private static long maxRssKb(Path timeFile) throws IOException {
        for (String line : Files.readAllLines(timeFile)) {
            String t = line.trim();
            if (t.startsWith(MAX_RSS)) {
                return Long.parseLong(t.substring(MAX_RSS.length()).trim());
            }
        }
        throw new IOException(GNU_TIME + " -v wrote no '" + MAX_RSS + "' line into " + timeFile);
    }

    /** The java launcher of this JVM and its class path: a child runs the very same code. */
    static List<String> javaCommand(String xmx, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + xmx);
        cmd.addAll(extraJvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Extra child JVM flags from {@code -Dbench.childJvmOpts="..."} (e.g. JIT or GC settings, a flight
     * recording) to compare, as the programs' users could set them.
     */
    static List<String> extraJvmOptions() {
        List<String> opts = new ArrayList<>();
        for (String opt : System.getProperty("bench.childJvmOpts", "").trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                opts.add(opt);
            }
        }
        return opts;
    }
}
