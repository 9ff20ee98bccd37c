package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's locale rule ({@code gpt2_utf8_locale} in {@code cli/launch-env.sh}): under the C
 * locale, a container's default, Java decoded a non-ASCII argument as ASCII and tokenized other text.
 * A bash script (UTF-8 bytes, so the argument reaches the JVM exactly as a shell passes it) runs the
 * CLI's main class under {@code LANG=C}, once with the launcher's settings and once without: the control.
 */
class LauncherLocaleTest {

    /** "héllo wörld 🤗" as GPT-2 encodes it from its UTF-8 bytes (HF GPT2Tokenizer). */
    private static final String EXPECTED = "[71, 2634, 18798, 266, 30570, 335, 12520, 97, 245]";

    @TempDir
    Path dir;

    private String tokenizeUnderTheCLocale(boolean launcherSettings) throws IOException, InterruptedException {
        Path launchEnv = Path.of("launch-env.sh").toAbsolutePath();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String script = "unset LC_ALL LC_CTYPE LANGUAGE\nexport LANG=C\n"
                + (launcherSettings ? "source '" + launchEnv + "'\n" : "")
                + "exec '" + java + "' -Dai.djl.offline=true -cp \"$TEST_CLASSPATH\" " + Gpt2.class.getName()
                + " tokenize 'héllo wörld 🤗'\n";
        Path file = dir.resolve(launcherSettings ? "with.sh" : "without.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
        pb.environment().put("TEST_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean hasCUtf8() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "locale -a 2>/dev/null | grep -qix 'c\\.utf-\\?8'").start();
        return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
    }

    @Test
    void underTheCLocaleAnArgumentIsTokenizedFromItsUtf8Bytes() throws Exception {
        assumeTrue(hasCUtf8(), "this system has no C.UTF-8 locale: the launcher then leaves the locale alone");
        assertThat(tokenizeUnderTheCLocale(true)).isEqualTo(EXPECTED);
        assertThat(tokenizeUnderTheCLocale(false)).as("the control: Java under the C locale alone").isNotEqualTo(EXPECTED);
    }
}
