package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the console besides results: TensorFlow's native lines (written by C++ to file
 * descriptor 2, so the command runs in a child JVM to see them as a shell would) and progress bars.
 */
class ConsoleNoiseTest {

    @TempDir
    Path dir;

    @AfterEach
    void forgetTerminal() {
        System.clearProperty(Terminal.PROPERTY);
    }

    /** gpt2 in a fresh JVM with this test's classpath, TF_CPP_MIN_LOG_LEVEL unset as in a user's shell. */
    private static Shell.Run gpt2InChildJvm(String... args) throws IOException, InterruptedException {
        return childJvm(List.of(), args);
    }

    private static Shell.Run childJvm(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return Shell.inChildJvm(jvmOptions, ProcessBuilder.Redirect.PIPE, args);
    }

    @Test
    void tensorFlowsNativeLinesAppearOnlyWithVerbose() throws Exception {
        Shell.Run quiet = gpt2InChildJvm("fixture", "--seed", "1", "--out", dir.resolve("a").toString());
        assertThat(quiet.exit()).as(quiet.err()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).startsWith("wrote synthetic checkpoint");

        Shell.Run verbose = gpt2InChildJvm("-v", "fixture", "--seed", "1", "--out", dir.resolve("b").toString());
        assertThat(verbose.exit()).isZero();
        // the control: the same run with -v shows what the default hides
        assertThat(verbose.err()).contains("tensorflow/").contains("absl::InitializeLog");
    }

    /** Silencing TensorFlow loads JNA and libc, a start-up cost only the commands that start TensorFlow pay. */
    @Test
    void commandsThatNeverStartTensorFlowDoNotLoadJna() throws Exception {
        Path classes = dir.resolve("classes.log");
        Shell.Run version = childJvm(List.of("-Xlog:class+load=info:file=" + classes), "-V");
        assertThat(version.exit()).as(version.err()).isZero();
        String loaded = Files.readString(classes);
        assertThat(loaded).contains("net.gpt2j.cli.Gpt2 ").doesNotContain("com.sun.jna.");

        Path fixtureClasses = dir.resolve("fixture-classes.log");
        Shell.Run fixture = childJvm(List.of("-Xlog:class+load=info:file=" + fixtureClasses),
                "fixture", "--seed", "1", "--out", dir.resolve("ck").toString());
        assertThat(fixture.exit()).as(fixture.err()).isZero();
        assertThat(Files.readString(fixtureClasses)).contains("com.sun.jna.Native "); // the control
    }

    @Test
    void progressBarsAreDrawnOnlyWhenStderrIsATerminal() {
        Shell.Run fixture = Shell.gpt2("fixture", "--seed", "1", "--out", dir.resolve("ck").toString());
        assertThat(fixture.exit()).isZero();

        System.setProperty(Terminal.PROPERTY, "false"); // a CI log
        Shell.Run log = Shell.gpt2("convert", dir.resolve("ck").toString(), "--out", dir.resolve("c1").toString());
        assertThat(log.exit()).as(log.err()).isZero();
        assertThat(log.err()).doesNotContain("\r").doesNotContain(" MB");

        System.setProperty(Terminal.PROPERTY, "true"); // a terminal
        Shell.Run tty = Shell.gpt2("convert", dir.resolve("ck").toString(), "--out", dir.resolve("c2").toString());
        assertThat(tty.exit()).isZero();
        assertThat(tty.err()).contains("\r").contains("converting tensors");

        Shell.Run quiet = Shell.gpt2("-q", "convert", dir.resolve("ck").toString(), "--out", dir.resolve("c3").toString());
        assertThat(quiet.err()).isEmpty();
    }
}
