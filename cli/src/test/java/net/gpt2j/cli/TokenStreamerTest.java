package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;
import org.junit.jupiter.api.Test;

class TokenStreamerTest {

    private final Gpt2Tokenizer tokenizer = Gpt2Tokenizer.fromGoldenData();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachTokenIsPrintedWhenItIsChosen() {
        TokenStreamer s = new TokenStreamer(tokenizer, tokenizer.encode("Hello"), out);
        s.start();
        assertThat(printed()).isEqualTo("Hello");
        s.decided(0, 0, 995); // " world"
        assertThat(printed()).isEqualTo("Hello world");
        s.decided(0, 1, 0); // "!"
        assertThat(printed()).isEqualTo("Hello world!");
        s.finish();
        assertThat(printed()).isEqualTo("Hello world!" + System.lineSeparator());
    }

    @Test
    void aCharacterSplitOverTwoTokensIsHeldBackUntilItIsWhole() {
        int[] ids = tokenizer.encode("Hi 🤗");
        assertThat(tokenizer.decode(new int[] {ids[ids.length - 1]})).contains("\uFFFD"); // the emoji's bytes span tokens
        TokenStreamer s = new TokenStreamer(tokenizer, new int[] {ids[0]}, out);
        s.start();
        for (int i = 1; i < ids.length; i++) {
            s.decided(0, i - 1, ids[i]);
            assertThat(printed()).doesNotContain("\uFFFD");
        }
        s.finish();
        assertThat(printed()).isEqualTo("Hi 🤗" + System.lineSeparator());
    }

    @Test
    void aWriteThatFailsStopsTheStream() {
        int[] writes = {0};
        PrintStream closed = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                writes[0]++;
                throw new java.io.IOException("Broken pipe");
            }
        }, true, StandardCharsets.UTF_8);
        TokenStreamer s = new TokenStreamer(tokenizer, tokenizer.encode("Hello"), closed);
        org.assertj.core.api.Assertions.assertThatThrownBy(s::start).isInstanceOf(StdoutClosed.class);
        assertThat(writes[0]).isPositive();
    }
}
