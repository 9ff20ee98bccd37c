package net.gpt2j.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFilesTest {

    @Test
    void readingFromPathsGivesTheSameIdsAsFromTheGoldenModule(@TempDir Path dir) throws IOException {
        Path encoder = Files.write(dir.resolve("encoder.json"), GoldenData.read(GoldenData.ENCODER_JSON));
        Path merges = Files.write(dir.resolve("vocab.bpe"), GoldenData.read(GoldenData.VOCAB_BPE));
        Gpt2Tokenizer fromFiles = Gpt2Tokenizer.fromFiles(encoder, merges);
        String text = "My favorite color is chartreuse<|endoftext|>";
        assertThat(fromFiles.encode(text)).containsExactly(Gpt2Tokenizer.fromGoldenData().encode(text));
    }

    @Test
    void aHandWrittenVocabularyEncodesByItsOwnMerges() throws IOException {
        Gpt2Tokenizer tokenizer = SyntheticVocabulary.tokenizer(List.of("ab", "Ġab"), List.of("a b", "Ġ ab"));
        // ids: bytes 0..255, then ab=256, Ġab=257, <|endoftext|>=258
        assertThat(tokenizer.vocabSize()).isEqualTo(259);
        assertThat(tokenizer.endOfTextId()).isEqualTo(258);
        assertThat(tokenizer.encode("ab ab<|endoftext|>c")).containsExactly(256, 257, 258, 'c');
        assertThat(tokenizer.decode(new int[] {256, 257, 258, 'c'})).isEqualTo("ab ab<|endoftext|>c");
    }

    @Test
    void encoderWithoutASingleByteTokenIsRefusedNamingTheByte() {
        // id 0 spells "zz" instead of byte 0x00 (written U+0100), so ids stay dense but the byte has no token
        String json = SyntheticVocabulary.encoderJson(List.of()).replace("\"\\u0100\": 0, ", "\"zz\": 0, ");
        assertThatThrownBy(() -> Gpt2Tokenizer.fromStreams(SyntheticVocabulary.stream(json),
                        SyntheticVocabulary.stream(SyntheticVocabulary.vocabBpe(List.of()))))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessageContaining("encoder.json")
                .hasMessageContaining("0x00");
    }

    @Test
    void encoderWithGapsInItsIdsIsRefused() {
        String json = SyntheticVocabulary.encoderJson(List.of("ab")).replace("\"ab\": 256", "\"ab\": 9000");
        assertThatThrownBy(() -> Gpt2Tokenizer.fromStreams(SyntheticVocabulary.stream(json),
                        SyntheticVocabulary.stream(SyntheticVocabulary.vocabBpe(List.of()))))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessageContaining("'ab' has id 9000");
    }

    @Test
    void mergeOfAnUnknownTokenIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> SyntheticVocabulary.tokenizer(List.of("ab"), List.of("a b", "ab c")))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessageContaining("vocab.bpe line 3")
                .hasMessageContaining("'abc'");
    }

    @Test
    void mergeLineThatIsNotTwoTokensIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> SyntheticVocabulary.tokenizer(List.of("ab"), List.of("a b", "abc")))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessageContaining("vocab.bpe line 3")
                .hasMessageContaining("not two tokens");
    }

    @Test
    void missingFileIsReportedByItsPath(@TempDir Path dir) {
        Path missing = dir.resolve("encoder.json");
        assertThatThrownBy(() -> Gpt2Tokenizer.fromFiles(missing, dir.resolve("vocab.bpe")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void goldenVocabularyIsOpenAisRelease() {
        // sha256 prefixes from FORMAT.md, the hashes OpenAI's tools pin
        assertThat(sha256(GoldenData.read(GoldenData.ENCODER_JSON))).startsWith("196139668be6");
        assertThat(sha256(GoldenData.read(GoldenData.VOCAB_BPE))).startsWith("1ce1664773c5");
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

