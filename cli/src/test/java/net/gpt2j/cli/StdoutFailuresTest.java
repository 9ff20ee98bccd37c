package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command, not only {@code generate}, fails when its results cannot be written: PrintStream keeps a
 * failed write to itself, and {@code gpt2 tokenize TEXT > /dev/full} used to print nothing and exit 0.
 */
class StdoutFailuresTest {

    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    static Path dir;
    private static Path index;

    @BeforeAll
    static void realIndex() throws IOException {
        index = dir.resolve("model.ckpt.index");
        Files.write(index, GoldenData.read(GoldenData.REAL_INDEX));
    }

    /** gpt2 in a child JVM whose stdout is /dev/full (a full disk behind {@code > out.txt}). */
    private static Shell.Run intoAFullDevice(String... args) throws Exception {
        Assumptions.assumeTrue(Files.exists(FULL), "no /dev/full here");
        return Shell.inChildJvm(List.of(), ProcessBuilder.Redirect.to(FULL.toFile()), args);
    }

    private static void failsInOneLineNamingTheDevice(String command, Shell.Run run) {
        assertThat(run.err().lines()).as(run.err())
                .containsExactly("gpt2 " + command + ": error: cannot write the output to /dev/full");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void tokenizeIntoAFullDeviceSaysSo() throws Exception {
        failsInOneLineNamingTheDevice("tokenize", intoAFullDevice("tokenize", "Hello world"));
        failsInOneLineNamingTheDevice("tokenize", intoAFullDevice("tokenize", "--json", "Hello world"));
        failsInOneLineNamingTheDevice("tokenize", intoAFullDevice("tokenize", "--ids", "15496,995"));
    }

    @Test
    void inspectIntoAFullDeviceSaysSo() throws Exception {
        failsInOneLineNamingTheDevice("inspect", intoAFullDevice("inspect", "--json", index.toString()));
    }

    @Test
    void envAndVerifyIntoAFullDeviceSaySo() throws Exception {
        failsInOneLineNamingTheDevice("env", intoAFullDevice("env"));
        Path tokenizerGolden = dir.resolve("tokenizer.golden.json"); // the one golden that needs no model: seconds
        Files.write(tokenizerGolden, GoldenData.read(GoldenData.TOKENIZER_GOLDEN));
        failsInOneLineNamingTheDevice("verify", intoAFullDevice("-q", "verify", "--golden", tokenizerGolden.toString(),
                "--report-dir", dir.resolve("reports").toString(), "--device", "cpu"));
    }

    @Test
    void helpIntoAFullDeviceSaysSo() throws Exception {
        failsInOneLineNamingTheDevice("tokenize", intoAFullDevice("tokenize", "--help"));
    }

    /** The check does not turn a command's own failure into another one: its line and status stay. */
    @Test
    void aCommandThatFailedKeepsItsOwnErrorAndStatus() throws Exception {
        Shell.Run usage = intoAFullDevice("tokenize", "--ids", "15496", "Hello");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err().lines()).singleElement().asString().contains("not both");
        Shell.Run failed = intoAFullDevice("tokenize", "--ids", "50257");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err().lines()).singleElement().asString().contains("outside the vocabulary");
    }

    @Test
    void tokenizeIntoAFileStillSucceeds() throws Exception {
        Path out = dir.resolve("ids.txt");
        Shell.Run run = Shell.inChildJvm(List.of(), ProcessBuilder.Redirect.to(out.toFile()), "tokenize", "Hello world");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(out).hasContent("[15496, 995]");
    }

    /** A reader that has gone (a closed pipe): status 141, silently, as generate already ended. */
    @Test
    void tokenizeIntoAClosedPipeEndsAsSigpipeWouldSilently() {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        Shell.Run run = Shell.runWithStdout(closedPipe, "tokenize", "Hello world");
        assertThat(run.exit()).isEqualTo(StdoutClosed.EXIT);
        assertThat(run.err()).isEmpty();
    }
}
