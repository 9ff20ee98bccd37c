package net.gpt2j.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs the gpt2 command in-process as a shell would: given stdin, captured stdout and stderr, the exit status. */
final class Shell {

    record Run(int exit, String out, String err) {}

    private Shell() {}

    static Run gpt2(String... args) {
        return gpt2WithStdin("", args);
    }

    static Run gpt2WithStdin(String stdin, String... args) {
        return run(Gpt2.commandLine(), stdin, args);
    }

    static Run run(CommandLine cli, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Run r = run(cli, stdin, out, args);
        return new Run(r.exit(), out.toString(StandardCharsets.UTF_8), r.err());
    }

    /** gpt2 writing its stdout to {@code stdout} (a pipe whose reader has gone, say); the Run's out is empty. */
    static Run runWithStdout(OutputStream stdout, String... args) {
        return run(Gpt2.commandLine(), "", stdout, args);
    }

    /**
     * gpt2 in a fresh JVM with this test's class path and {@code jvmOptions}, TF_CPP_MIN_LOG_LEVEL unset as in a
     * user's shell, stdout to {@code stdout} ({@link ProcessBuilder.Redirect#PIPE}: captured in the Run's out).
     */
    static Run inChildJvm(List<String> jvmOptions, ProcessBuilder.Redirect stdout, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Gpt2.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout);
        pb.environment().remove(NativeLogs.TF_LEVEL);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("gpt2 " + String.join(" ", args) + " in a child JVM ran past 5 minutes");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static Run run(CommandLine cli, String stdin, OutputStream out, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int exit = cli.execute(args);
            return new Run(exit, "", err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
