package net.gpt2j.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BytePairMergerTest {

    private static Vocabulary gpt2Vocabulary;
    private static MergeTable gpt2Merges;

    @BeforeAll
    static void readGpt2() throws IOException {
        try (InputStream encoder = GoldenData.open(GoldenData.ENCODER_JSON);
                InputStream merges = GoldenData.open(GoldenData.VOCAB_BPE)) {
            gpt2Vocabulary = Vocabulary.read(encoder, "encoder.json");
            gpt2Merges = MergeTable.read(merges, "vocab.bpe", gpt2Vocabulary);
        }
        assertThat(gpt2Merges.size()).isEqualTo(50_000);
    }

    private static int[] byPasses(Vocabulary v, MergeTable m, byte[] bytes) {
        return new BytePairMerger(v, m, Integer.MAX_VALUE).merge(bytes, bytes.length);
    }

    private static int[] withHeap(Vocabulary v, MergeTable m, byte[] bytes) {
        return new BytePairMerger(v, m, 0).merge(bytes, bytes.length);
    }

    @Test
    void heapMergesEqualHuggingFacesPassesOnEveryGoldenPreToken() {
        int checked = 0;
        for (GoldenTokenizerCases c : GoldenTokenizerCases.load()) {
            String text = c.text();
            for (int i = 0; i < text.length(); ) {
                int end = PreTokenizer.tokenEnd(text, i, text.length());
                byte[] bytes = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
                assertThat(withHeap(gpt2Vocabulary, gpt2Merges, bytes))
                        .as("pre-token %s", text.substring(i, end))
                        .containsExactly(byPasses(gpt2Vocabulary, gpt2Merges, bytes));
                i = end;
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5_000);
    }

    @Test
    void heapMergesEqualHuggingFacesPassesOnRandomLongWords() {
        Random random = new Random(7);
        byte[] alphabet = "etaoinshrdlucmfwypvbgkqjxz".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < 200; n++) {
            byte[] bytes = new byte[1 + random.nextInt(400)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly frequent letters so that long merge chains form; now and then any byte
                bytes[i] = random.nextInt(20) == 0 ? (byte) random.nextInt(256)
                        : alphabet[Math.min(alphabet.length - 1, (int) Math.abs(random.nextGaussian() * 6))];
            }
            assertThat(withHeap(gpt2Vocabulary, gpt2Merges, bytes))
                    .containsExactly(byPasses(gpt2Vocabulary, gpt2Merges, bytes));
        }
    }

    @Test
    @Timeout(10)
    void aLongWordIsMergedWithoutQuadraticTime() {
        byte[] bytes = "abcdefghij".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
        int[] ids = new BytePairMerger(gpt2Vocabulary, gpt2Merges).merge(bytes, bytes.length);
        int total = 0;
        for (int id : ids) {
            total += gpt2Vocabulary.bytesOf(id).length;
        }
        assertThat(total).isEqualTo(bytes.length);
    }

    @Test
    void lowestRankMergesFirst() throws IOException {
        // "b c" outranks "a b", so "abc" is a + bc, not ab + c.
        Vocabulary v = synthetic(List.of("ab", "bc"));
        MergeTable m = merges(v, List.of("b c", "a b"));
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        int bc = v.idOf("bc");
        assertThat(byPasses(v, m, abc)).containsExactly('a', bc);
        assertThat(withHeap(v, m, abc)).containsExactly('a', bc);
    }

    @Test
    void overlappingOccurrencesMergeFromTheLeft() throws IOException {
        Vocabulary v = synthetic(List.of("aa"));
        MergeTable m = merges(v, List.of("a a"));
        byte[] aaa = "aaa".getBytes(StandardCharsets.US_ASCII);
        int aa = v.idOf("aa");
        assertThat(byPasses(v, m, aaa)).containsExactly(aa, 'a');
        assertThat(withHeap(v, m, aaa)).containsExactly(aa, 'a');
    }

    @Test
    void aPassMergesEveryOccurrenceBeforeAPairItCreatedIsConsidered() throws IOException {
        // "ab a" outranks "a b" but needs "ab" to exist. HuggingFace's pass over "abab" merges both
        // "a b" first, giving ab + ab, where "ab a" no longer applies. Merging one pair at a time by
        // rank would instead make "ab a" right after the first "a b" and give aba + b.
        Vocabulary v = synthetic(List.of("ab", "aba"));
        MergeTable m = merges(v, List.of("ab a", "a b"));
        byte[] abab = "abab".getBytes(StandardCharsets.US_ASCII);
        int ab = v.idOf("ab");
        assertThat(byPasses(v, m, abab)).containsExactly(ab, ab);
        assertThat(withHeap(v, m, abab)).containsExactly(ab, ab);
    }

    private static Vocabulary synthetic(List<String> extraTokens) throws IOException {
        return Vocabulary.read(SyntheticVocabulary.stream(SyntheticVocabulary.encoderJson(extraTokens)), "synthetic encoder.json");
    }

    private static MergeTable merges(Vocabulary v, List<String> merges) throws IOException {
        return MergeTable.read(SyntheticVocabulary.stream(SyntheticVocabulary.vocabBpe(merges)), "synthetic vocab.bpe", v);
    }
}
