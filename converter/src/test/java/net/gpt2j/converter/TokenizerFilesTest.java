package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken tokenizer files are refused at convert, naming the file and the first problem. */
class TokenizerFilesTest {

    @TempDir
    Path dir;
    Path encoder;
    Path vocab;
    byte[] realEncoder;
    byte[] realVocab;

    @BeforeEach
    void realFiles() throws Exception {
        realEncoder = GoldenData.read(GoldenData.ENCODER_JSON);
        realVocab = GoldenData.read(GoldenData.VOCAB_BPE);
        encoder = Files.write(dir.resolve("encoder.json"), realEncoder);
        vocab = Files.write(dir.resolve("vocab.bpe"), realVocab);
    }

    @Test
    void openAisRealFilesPass() throws Exception {
        TokenizerFiles.check(encoder, vocab, 50257);
    }

    @Test
    void anEmptyVocabIsRefused() throws Exception {
        Files.write(vocab, new byte[0]);
        assertThatThrownBy(() -> TokenizerFiles.check(encoder, vocab, 50257)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(vocab.toString()).hasMessageContaining("no merges");
    }

    @Test
    void aRandomVocabIsRefusedNamingTheLine() throws Exception {
        Files.writeString(vocab, "#version: 0.2\nqx zv\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TokenizerFiles.check(encoder, vocab, 50257)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(vocab.toString()).hasMessageContaining("line 2 \"qx zv\"")
                .hasMessageContaining("not a token of encoder.json");
    }

    @Test
    void binaryGarbageIsNotUtf8() throws Exception {
        byte[] bad = realEncoder.clone();
        bad[5000] = (byte) 0xFF;
        Files.write(encoder, bad);
        assertThatThrownBy(() -> TokenizerFiles.check(encoder, vocab, 50257)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(encoder.toString()).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void anIdGivenTwiceIsRefused() throws Exception {
        Files.writeString(encoder, new String(realEncoder, StandardCharsets.UTF_8).replace("\"!\": 0", "\"!\": 1"));
        assertThatThrownBy(() -> TokenizerFiles.check(encoder, vocab, 50257)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(encoder.toString()).hasMessageContaining("id 1 is given to two tokens");
    }

    @Test
    void aMissingByteSymbolIsRefused() throws Exception {
        // the symbol of byte 0x0A ("\n", shown as U+010A) renamed: ids stay 0..n-1, the alphabet loses a byte
        String text = new String(realEncoder, StandardCharsets.UTF_8);
        assertThat(text).contains("\"\\u010a\":");
        Files.writeString(encoder, text.replace("\"\\u010a\":", "\"\\u010aX\":"));
        assertThatThrownBy(() -> TokenizerFiles.check(encoder, vocab, 50257)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(encoder.toString()).hasMessageContaining("byte 0x0A");
    }

    @Test
    void aTokenCountOtherThanNVocabIsRefused() {
        assertThatThrownBy(() -> TokenizerFiles.check(encoder, vocab, 50000)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(encoder.toString()).hasMessageContaining("outside 0..49999");
    }

    @Test
    void anHtmlPageIsRefused() throws Exception {
        Files.writeString(encoder, "<html><body>404</body></html>");
        assertThatThrownBy(() -> TokenizerFiles.check(encoder, vocab, 50257)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(encoder.toString()).hasMessageContaining("not valid JSON");
    }
}
