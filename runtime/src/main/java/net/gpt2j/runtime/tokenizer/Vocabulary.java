package net.gpt2j.runtime.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import net.gpt2j.format.tokenizer.ByteLevelAlphabet;

/**
 * {@code encoder.json}: token (spelled in {@link ByteLevelAlphabet}) to id. Kept as what encoding and
 * decoding need: the id of each token, the id of each single byte, and the bytes of each id.
 */
final class Vocabulary {

    static final String END_OF_TEXT = net.gpt2j.format.Gpt2Constants.END_OF_TEXT_TOKEN;

    private final Map<String, Integer> idByToken;
    private final byte[][] bytesById;
    private final int[] idByByte = new int[256];
    private final int endOfTextId;

    private Vocabulary(Map<String, Integer> idByToken, byte[][] bytesById, String source) throws TokenizerFileException {
        this.idByToken = idByToken;
        this.bytesById = bytesById;
        for (int b = 0; b < 256; b++) {
            Integer id = idByToken.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
            if (id == null) {
                throw new TokenizerFileException(String.format(
                        "%s has no token for the single byte 0x%02X (spelled '%s'); byte-level BPE needs all 256",
                        source, b, ByteLevelAlphabet.charOf(b)));
            }
            idByByte[b] = id;
        }
        Integer eot = idByToken.get(END_OF_TEXT);
        if (eot == null) {
            throw new TokenizerFileException(source + " has no " + END_OF_TEXT + " token");
        }
        this.endOfTextId = eot;
    }

    /** Reads {@code encoder.json}: one JSON object of token to id, ids dense from 0. */
    static Vocabulary read(InputStream in, String source) throws IOException {
        Map<String, Integer> idByToken = new HashMap<>(1 << 17);
        try (JsonParser parser = new JsonFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new TokenizerFileException(source + " is not a JSON object of token to id");
            }
            JsonToken t;
            while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String token = parser.getCurrentName();
                if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw new TokenizerFileException(source + ": token '" + token + "' maps to "
                            + parser.getText() + ", expected an integer id");
                }
                Integer previous = idByToken.put(token, parser.getIntValue());
                if (previous != null) {
                    throw new TokenizerFileException(source + ": token '" + token + "' appears twice");
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new TokenizerFileException(source + " has " + t + " where a token was expected");
            }
        } catch (JsonProcessingException e) {
            throw new TokenizerFileException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        byte[][] bytesById = new byte[idByToken.size()][];
        for (Map.Entry<String, Integer> e : idByToken.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= bytesById.length) {
                throw new TokenizerFileException(source + ": token '" + e.getKey() + "' has id " + id
                        + ", outside 0.." + (bytesById.length - 1) + " (ids must be dense)");
            }
            if (bytesById[id] != null) {
                throw new TokenizerFileException(source + ": id " + id + " is used by two tokens, one is '"
                        + e.getKey() + "'");
            }
            bytesById[id] = spelledBytes(e.getKey(), id, source);
        }
        return new Vocabulary(idByToken, bytesById, source);
    }

    /** A vocabulary from its tokens in id order (as {@code tokenizer.json} gives them). */
    static Vocabulary of(java.util.List<String> tokensById, String source) throws TokenizerFileException {
        Map<String, Integer> idByToken = new HashMap<>(tokensById.size() * 2);
        byte[][] bytesById = new byte[tokensById.size()][];
        for (int id = 0; id < bytesById.length; id++) {
            String token = tokensById.get(id);
            if (idByToken.put(token, id) != null) {
                throw new TokenizerFileException(source + ": token '" + token + "' appears twice");
            }
            bytesById[id] = spelledBytes(token, id, source);
        }
        return new Vocabulary(idByToken, bytesById, source);
    }

    private static byte[] spelledBytes(String token, int id, String source) throws TokenizerFileException {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < bytes.length; i++) {
            int b = ByteLevelAlphabet.byteOf(token.charAt(i));
            if (b < 0) {
                throw new TokenizerFileException(String.format(
                        "%s: token '%s' (id %d) has U+%04X, which is not in GPT-2's byte-to-unicode alphabet",
                        source, token, id, (int) token.charAt(i)));
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    int size() {
        return bytesById.length;
    }

    /** The id of a token spelled in {@link ByteLevelAlphabet}, or -1. */
    int idOf(String spelledToken) {
        Integer id = idByToken.get(spelledToken);
        return id == null ? -1 : id;
    }

    int idOfByte(int b) {
        return idByByte[b];
    }

    /** The bytes id stands for; the caller must not modify them. */
    byte[] bytesOf(int id) {
        return bytesById[id];
    }

    int endOfTextId() {
        return endOfTextId;
    }
}
