package net.gpt2j.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class Gpt2TokenizerTest {

    private static final Gpt2Tokenizer TOKENIZER = Gpt2Tokenizer.fromGoldenData();

    /** Ids HuggingFace's encoder.json gives single bytes (encoder[bytes_to_unicode()[b]]), looked up with Python. */
    private static final int ID_OF_BYTE_0X80 = 222;
    private static final int ID_OF_A = 64;
    private static final int ID_OF_B = 65;

    @TestFactory
    Stream<DynamicTest> everyGoldenTextEncodesToHuggingFacesIdsAndDecodesBack() {
        List<GoldenTokenizerCases> cases = GoldenTokenizerCases.load();
        assertThat(cases).hasSize(99);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.displayName(), () -> {
            assertThat(TOKENIZER.encode(c.text())).as("ids of %s", c.displayName()).containsExactly(c.ids());
            assertThat(TOKENIZER.decode(c.ids())).isEqualTo(c.decoded()).isEqualTo(c.text());
        }));
    }

    @Test
    void vocabularyHasGpt2sSizeAndEndOfTextId() {
        assertThat(TOKENIZER.vocabSize()).isEqualTo(50257);
        assertThat(TOKENIZER.endOfTextId()).isEqualTo(50256);
    }

    @Test
    void endOfTextInTextIsRefusedNamingWhereItIs() {
        String text = "It will rain in the<|endoftext|>My dog is";
        assertThatThrownBy(() -> TOKENIZER.encode(text, SpecialTokens.REFUSE))
                .isInstanceOfSatisfying(DisallowedSpecialTokenException.class, e -> {
                    assertThat(e.token()).isEqualTo("<|endoftext|>");
                    assertThat(e.index()).isEqualTo(19);
                })
                .hasMessageContaining("<|endoftext|>")
                .hasMessageContaining("index 19");
    }

    @Test
    void refusingEncodesTextWithoutTheSpecialTokenAsUsual() {
        String text = "It will rain in the <|endoftext My dog is";
        assertThat(TOKENIZER.encode(text, SpecialTokens.REFUSE)).containsExactly(TOKENIZER.encode(text));
    }

    @Test
    void endOfTextAsOrdinaryTextIsSplitByThePatternNotMappedTo50256() {
        int[] ids = TOKENIZER.encode("<|endoftext|>", SpecialTokens.ENCODE_AS_TEXT);
        assertThat(ids).doesNotContain(50256).hasSizeGreaterThan(1);
        assertThat(TOKENIZER.decode(ids)).isEqualTo("<|endoftext|>");
    }

    @Test
    void specialTokenSplitsTheTextSoWhitespaceBeforeItEndsItsPiece() {
        // "  <|endoftext|>": the two spaces reach the end of their piece, so \s+(?!\S) takes both;
        // scanned as one text, the second space would have joined "<|".
        int[] ids = TOKENIZER.encode("x  <|endoftext|>");
        assertThat(ids[ids.length - 1]).isEqualTo(50256);
        assertThat(TOKENIZER.decode(ids)).isEqualTo("x  <|endoftext|>");
        int[] asText = TOKENIZER.encode("x  <|endoftext|>", SpecialTokens.ENCODE_AS_TEXT);
        assertThat(asText).isNotEqualTo(ids);
    }

    @Test
    void emptyTextHasNoIds() {
        assertThat(TOKENIZER.encode("")).isEmpty();
        assertThat(TOKENIZER.decode(new int[0])).isEmpty();
    }

    @Test
    void idOutsideTheVocabularyIsRefusedNamingTheIdAndWhereItIs() {
        assertThatThrownBy(() -> TOKENIZER.decode(new int[] {464, 50257}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 50257 at index 1")
                .hasMessageContaining("0..50256");
        assertThatThrownBy(() -> TOKENIZER.decode(new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id -1 at index 0");
    }

    @Test
    void loneContinuationByteDecodesToOneReplacementCharacterAsPythonDoes() {
        // b"\x80".decode("utf-8", errors="replace") == "\ufffd"; b"a\x80b" -> "a\ufffdb"
        assertThat(TOKENIZER.decode(new int[] {ID_OF_BYTE_0X80})).isEqualTo("\uFFFD");
        assertThat(TOKENIZER.decode(new int[] {ID_OF_A, ID_OF_BYTE_0X80, ID_OF_B})).isEqualTo("a\uFFFDb");
    }

    @Test
    void idsOfOneCharacterSplitAcrossTokensDecodeOnlyWhenAllArePresent() {
        int[] ids = TOKENIZER.encode("日本");
        assertThat(ids.length).as("日本 needs more than one token per character").isGreaterThan(2);
        assertThat(TOKENIZER.decode(ids)).isEqualTo("日本");
        String truncated = TOKENIZER.decode(Arrays.copyOf(ids, ids.length - 1));
        assertThat(truncated).startsWith("日").endsWith("\uFFFD").hasSize(2);
    }

    @Test
    void malformedUtf8IsReplacedWithPythonsGranularity() {
        // Expected strings are Python 3.11's bytes.fromhex(h).decode("utf-8", errors="replace").
        String[][] cases = {
            {"80", "\uFFFD"},
            {"41e282", "A\uFFFD"},
            {"e28241", "\uFFFDA"},
            {"eda080", "\uFFFD\uFFFD\uFFFD"},
            {"eda0", "\uFFFD\uFFFD"},
            {"edbfbf41", "\uFFFD\uFFFD\uFFFDA"},
            {"f0908080", "\uD800\uDC00"},
            {"f09080", "\uFFFD"},
            {"f4908080", "\uFFFD\uFFFD\uFFFD\uFFFD"},
            {"c0af", "\uFFFD\uFFFD"},
            {"e08080", "\uFFFD\uFFFD\uFFFD"},
            {"f5", "\uFFFD"},
            {"c241", "\uFFFDA"},
            {"efbfbd", "\uFFFD"},
            {"f0a0", "\uFFFD"},
            {"fffe41", "\uFFFD\uFFFDA"},
        };
        for (String[] c : cases) {
            byte[] bytes = HexFormat.of().parseHex(c[0]);
            assertThat(PythonUtf8.decode(bytes, bytes.length)).as("bytes %s", c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void validUtf8DecodesAsJavaDoes() {
        String text = "aé€😀\u0000\u007f\u0080\u07ff\u0800\uffff\uD800\uDC00\uDBFF\uDFFF";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(PythonUtf8.decode(bytes, bytes.length)).isEqualTo(text);
    }

    @Test
    void unpairedSurrogateIsRefusedNamingWhereItIs() {
        assertThatThrownBy(() -> TOKENIZER.encode("ok \uD83D then"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+D83D")
                .hasMessageContaining("index 3");
    }

    @Test
    void charactersOutsideTheBasicPlaneRoundTrip() {
        String text = "𝐀𝐁 😀😀 \uD840\uDC00 end";
        assertThat(TOKENIZER.decode(TOKENIZER.encode(text))).isEqualTo(text);
    }

    @Test
    void repeatedEncodingGivesTheSameIdsFromTheCache() {
        String text = "Every effort moves you";
        int[] first = TOKENIZER.encode(text);
        int[] second = TOKENIZER.encode(text);
        assertThat(second).containsExactly(first).containsExactly(6109, 3626, 6100, 345);
    }

    @Test
    void oneInstanceSharedByThreadsGivesEveryThreadHuggingFacesIds() throws Exception {
        Gpt2Tokenizer shared = Gpt2Tokenizer.fromGoldenData(); // empty cache: threads race to fill it
        List<GoldenTokenizerCases> cases = GoldenTokenizerCases.load();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (GoldenTokenizerCases c : cases) {
                        assertThat(shared.encode(c.text())).as(c.displayName()).containsExactly(c.ids());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
