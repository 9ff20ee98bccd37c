package net.gpt2j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;

/** The texts the tokenizer benchmark encodes, each at least a given number of UTF-8 bytes. */
final class BenchTexts {

    private static final Pattern WORD = Pattern.compile(" ?[A-Za-z]{2,}");

    private BenchTexts() {}

    /**
     * The golden tokenizer cases (real prose, code, numbers, accents, CJK, emoji; those without
     * {@code <|endoftext|>}, which JTokkit's {@code encode} refuses) repeated: a long-lived
     * tokenizer's steady state, where a pre-token cache answers almost every lookup.
     */
    static String repeatedGoldenCases(int targetBytes) {
        List<String> texts = new ArrayList<>();
        try {
            JsonNode root = new ObjectMapper().readTree(GoldenData.read(GoldenData.TOKENIZER_GOLDEN));
            for (JsonNode c : root.get("cases")) {
                String text = c.get("text").textValue();
                if (!text.contains("<|endoftext|>")) {
                    texts.add(text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + GoldenData.TOKENIZER_GOLDEN, e);
        }
        StringBuilder text = new StringBuilder(targetBytes);
        long bytes = 0;
        while (bytes < targetBytes) {
            for (String t : texts) {
                text.append(t).append("\n\n");
                bytes += t.getBytes(StandardCharsets.UTF_8).length + 2;
            }
        }
        return text.toString();
    }

    /**
     * Text that does not repeat: words made of two vocabulary entries glued together ("Spanish" +
     * "tlement"), shuffled with a fixed seed, in sentences and paragraphs. Nearly every pre-token is
     * new, so a cache cannot help and every word pays for its byte-pair merges: the honest
     * worst case for a caching tokenizer, and JTokkit's usual case (it caches nothing).
     */
    static String novelWords(Gpt2Tokenizer tokenizer, int targetBytes, long seed) {
        List<String> words = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            String piece = tokenizer.decode(new int[] {id});
            if (WORD.matcher(piece).matches()) {
                words.add(piece.strip());
            }
        }
        Random random = new Random(seed);
        List<String> order = new ArrayList<>(words);
        StringBuilder text = new StringBuilder(targetBytes + 64);
        int inSentence = 0;
        int inParagraph = 0;
        while (text.length() < targetBytes) { // ASCII only: chars are bytes
            Collections.shuffle(order, random);
            for (int i = 0; i + 1 < order.size() && text.length() < targetBytes; i += 2) {
                text.append(order.get(i)).append(order.get(i + 1));
                if (++inSentence == 12) {
                    inSentence = 0;
                    text.append(random.nextBoolean() ? ". " : ", ");
                    if (++inParagraph == 8) {
                        inParagraph = 0;
                        text.append("\n\n");
                    }
                } else {
                    text.append(' ');
                }
            }
        }
        return text.toString();
    }
}
