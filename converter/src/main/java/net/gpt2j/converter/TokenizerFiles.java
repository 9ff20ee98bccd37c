package net.gpt2j.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import net.gpt2j.format.tokenizer.ByteLevelAlphabet;

/**
 * Checks OpenAI's tokenizer files before they are copied into a converted folder, so that a broken
 * one fails {@code convert} instead of failing, or silently tokenizing wrong, at generate time:
 * both are valid UTF-8; {@code encoder.json} is an object of token to id with the ids 0..n_vocab-1
 * each exactly once and the 256 byte-level symbols among its tokens; {@code vocab.bpe} is a
 * {@code #version} line and merges "a b" whose two symbols and whose result are all tokens.
 * The first problem found is reported in one line naming the file.
 */
public final class TokenizerFiles {

    /** OpenAI's files are 1.0 MB and 0.46 MB; anything this large is not a GPT-2 tokenizer file and is not read whole. */
    public static final long MAX_BYTES = 64L << 20;

    /**
     * No interning or canonicalizing of 50,257 names into Jackson's symbol table, which costs most
     * of the parse; a token given twice is caught by the map instead.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private TokenizerFiles() {}

    /** Checks both files against each other and against {@code nVocab}; throws on the first problem. */
    public static void check(Path encoderJson, Path vocabBpe, int nVocab) throws ConversionException {
        Map<String, Integer> encoder = readEncoder(encoderJson, nVocab);
        checkMerges(vocabBpe, encoder);
    }

    static Map<String, Integer> readEncoder(Path file, int nVocab) throws ConversionException {
        byte[] bytes = readUtf8(file, "encoder file");
        Map<String, Integer> ids = new HashMap<>(nVocab * 2);
        BitSet seen = new BitSet(nVocab);
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw fail("encoder file", file, "must be a JSON object of token -> id");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                JsonToken value = p.nextToken();
                if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                    throw fail("encoder file", file, "token " + quote(token) + " maps to " + p.getText() + ", expected an integer id");
                }
                int id = p.getIntValue();
                if (id < 0 || id >= nVocab) {
                    throw fail("encoder file", file, "token " + quote(token) + " has id " + id + ", outside 0.." + (nVocab - 1)
                            + " (hparams n_vocab is " + nVocab + ")");
                }
                if (seen.get(id)) {
                    throw fail("encoder file", file, "id " + id + " is given to two tokens (the second is " + quote(token) + ")");
                }
                seen.set(id);
                if (ids.put(token, id) != null) {
                    throw fail("encoder file", file, "lists the token " + quote(token) + " twice");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw fail("encoder file", file, "has text after its JSON object");
            }
        } catch (ConversionException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw fail("encoder file", file, "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw fail("encoder file", file, "cannot be parsed: " + e.getMessage());
        }
        // ids 0..n-1 each once; n may be below n_vocab (a padded vocabulary: rows no token maps to)
        if (seen.nextClearBit(0) != ids.size()) {
            throw fail("encoder file", file, "has " + ids.size() + " tokens whose ids are not 0.." + (ids.size() - 1)
                    + " (first missing id: " + seen.nextClearBit(0) + ")");
        }
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(ByteLevelAlphabet.charOf(b));
            if (!ids.containsKey(symbol)) {
                throw fail("encoder file", file, String.format("lacks the byte-level symbol %s of byte 0x%02X; a GPT-2"
                        + " tokenizer has all 256", quote(symbol), b));
            }
        }
        return ids;
    }

    static void checkMerges(Path file, Map<String, Integer> encoder) throws ConversionException {
        String text = new String(readUtf8(file, "vocab file"), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int merges = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                throw fail("vocab file", file, "line " + (i + 1) + " " + quote(line) + " is not a merge \"A B\" of two symbols");
            }
            String a = line.substring(0, space);
            String b = line.substring(space + 1);
            for (String symbol : new String[] {a, b, a + b}) {
                if (!encoder.containsKey(symbol)) {
                    throw fail("vocab file", file, "line " + (i + 1) + " " + quote(line) + " names " + quote(symbol)
                            + ", which is not a token of encoder.json");
                }
            }
            merges++;
        }
        if (merges == 0 && encoder.size() > 257) {
            throw fail("vocab file", file, "holds no merges, but encoder.json has " + encoder.size()
                    + " tokens; without merges every text would be cut into single bytes");
        }
    }

    /** The file's bytes, once they are known to be valid UTF-8. */
    private static byte[] readUtf8(Path file, String what) throws ConversionException {
        byte[] bytes;
        try {
            if (file == null || !Files.isRegularFile(file)) {
                throw new ConversionException(what + " " + file + " is not a readable file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw fail(what, file, "is " + size + " bytes, more than the " + MAX_BYTES + " a GPT-2 tokenizer file can need");
            }
            bytes = Files.readAllBytes(file);
        } catch (ConversionException e) {
            throw e;
        } catch (IOException e) {
            throw new ConversionException(what + " " + file + " is not a readable file: " + e.getMessage(), e);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            utf8.decode(in);
            return bytes;
        } catch (CharacterCodingException e) {
            throw fail(what, file, "is not valid UTF-8 (first bad byte near offset " + in.position() + ")");
        }
    }

    private static ConversionException fail(String what, Path file, String detail) {
        return new ConversionException(what + " " + file + " " + detail);
    }

    private static String quote(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "\"" + shown.replace("\"", "\\\"") + "\"";
    }
}
