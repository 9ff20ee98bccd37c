package net.gpt2j.runtime.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.gpt2j.format.tokenizer.ByteLevelAlphabet;

/**
 * A small encoder.json + vocab.bpe written by hand: ids 0..255 are the single bytes in byte order,
 * then the given extra tokens, then {@code <|endoftext|>}.
 */
final class SyntheticVocabulary {

    private SyntheticVocabulary() {}

    static String encoderJson(List<String> extraTokens) {
        StringBuilder json = new StringBuilder("{");
        int id = 0;
        for (int b = 0; b < 256; b++) {
            json.append(quote(String.valueOf(ByteLevelAlphabet.charOf(b)))).append(": ").append(id++).append(", ");
        }
        for (String token : extraTokens) {
            json.append(quote(token)).append(": ").append(id++).append(", ");
        }
        return json.append("\"<|endoftext|>\": ").append(id).append('}').toString();
    }

    static String vocabBpe(List<String> merges) {
        return "#version: 0.2\n" + String.join("\n", merges) + "\n";
    }

    static Gpt2Tokenizer tokenizer(List<String> extraTokens, List<String> merges) throws IOException {
        return Gpt2Tokenizer.fromStreams(stream(encoderJson(extraTokens)), stream(vocabBpe(merges)));
    }

    static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                q.append(String.format("\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
