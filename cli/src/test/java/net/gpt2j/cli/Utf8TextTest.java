package net.gpt2j.cli;

import static net.gpt2j.cli.Shell.gpt2WithStdin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same bytes are the same prompt, or the same refusal, from a file, from stdin and in tokenize. */
class Utf8TextTest {

    private static final byte[] NOT_UTF8 = {'H', 'e', 'l', 'l', 'o', ' ', (byte) 0xFF, ' ', 'w', 'o', 'r', 'l', 'd', '\n'};

    @TempDir
    Path dir;

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingWhereTheyCameFromAndTheFirstBadByte() {
        assertThatThrownBy(() -> Utf8Text.decode(NOT_UTF8, "--prompt-file p.txt"))
                .hasMessage("--prompt-file p.txt: not UTF-8 text (byte 6 of 14 starts no valid UTF-8 character)");
        assertThat(Utf8Text.decode("héllo €".getBytes(StandardCharsets.UTF_8), "x")).isEqualTo("héllo €");
    }

    @Test
    void stdinRefusesWhatAFileRefuses() throws Exception {
        Path file = Files.write(dir.resolve("bad.txt"), NOT_UTF8);
        for (PromptInput input : List.of(prompt("-"), promptFile("-"), promptFile(file.toString()))) {
            assertThatThrownBy(() -> input.read(new ByteArrayInputStream(NOT_UTF8)))
                    .hasMessageContaining("not UTF-8 text (byte 6 of 14");
        }
    }

    @Test
    void oneTrailingLineEndFromStdinIsNotPromptTextWhetherLfOrCrlf() throws Exception {
        assertThat(prompt("-").read(stdin("Hello world\r\n"))).containsExactly("Hello world");
        assertThat(prompt("-").read(stdin("Hello world\n"))).containsExactly("Hello world");
        assertThat(prompt("-").read(stdin("Hello world\n\n"))).containsExactly("Hello world\n");
        assertThat(promptFile("-").read(stdin("Hello world\r\nBye\r\n"))).containsExactly("Hello world", "Bye");
        Shell.Run lf = gpt2WithStdin("Hello world\n", "tokenize");
        Shell.Run crlf = gpt2WithStdin("Hello world\r\n", "tokenize");
        assertThat(crlf.exit()).as(crlf.err()).isZero();
        assertThat(crlf.out()).isEqualTo(lf.out()).isEqualTo("[15496, 995]\n");
    }

    private static ByteArrayInputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static PromptInput prompt(String value) {
        PromptInput p = new PromptInput();
        p.source = new PromptInput.Source();
        p.source.prompts = List.of(value);
        return p;
    }

    private static PromptInput promptFile(String value) {
        PromptInput p = new PromptInput();
        p.source = new PromptInput.Source();
        p.source.promptFile = value;
        return p;
    }
}
