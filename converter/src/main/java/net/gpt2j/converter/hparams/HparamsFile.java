package net.gpt2j.converter.hparams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.Hparams;

/**
 * Reads OpenAI's {@code hparams.json} ({@code {"n_vocab": 50257, "n_ctx": 1024, "n_embd": 768,
 * "n_head": 12, "n_layer": 12}}) into {@link Hparams}. Every failure names the file and the key,
 * because a user converting a checkpoint needs to know which line to fix.
 */
public final class HparamsFile {

    /** The keys OpenAI's file holds, all required. Other keys are ignored (later releases may add some). */
    public static final List<String> KEYS = List.of("n_vocab", "n_ctx", "n_embd", "n_head", "n_layer");

    /**
     * Jackson's streaming parser alone: the file is five numbers, and loading databind's
     * ObjectMapper to read them took 0.12 s of the converter's start.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HparamsFile() {}

    public static Hparams read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HparamsException("cannot read hparams file " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the file's bytes; {@code source} names the file in error messages. */
    public static Hparams parse(byte[] json, String source) throws HparamsException {
        Map<String, Integer> values = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HparamsException("hparams file " + source + " must hold a JSON object with the keys " + KEYS);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (KEYS.contains(key)) {
                    values.put(key, positiveInt(p, key, source));
                } else {
                    p.skipChildren();
                }
            }
        } catch (HparamsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new HparamsException("hparams file " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new HparamsException("hparams file " + source + " cannot be parsed: " + e.getMessage(), e);
        }
        for (String key : KEYS) {
            if (!values.containsKey(key)) {
                throw new HparamsException("hparams file " + source + " has no key \"" + key + "\" (required: " + KEYS + ")");
            }
        }
        int nEmbd = values.get("n_embd");
        int nHead = values.get("n_head");
        if (nEmbd % nHead != 0) {
            throw new HparamsException("hparams file " + source + ": n_embd (" + nEmbd
                    + ") must be divisible by n_head (" + nHead + ")");
        }
        return new Hparams(values.get("n_vocab"), values.get("n_ctx"), nEmbd, nHead, values.get("n_layer"));
    }

    /** The value the parser stands on, which must be a positive integral JSON number that fits an int. */
    private static int positiveInt(JsonParser p, String key, String source) throws IOException {
        JsonToken t = p.currentToken();
        // integral JSON numbers only: 12.0 or "12" would hide a hand-edited mistake
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            String got = switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "\"" + p.getText() + "\"";
                default -> p.getText();
            };
            throw new HparamsException("hparams file " + source + ": \"" + key
                    + "\" must be an integer that fits in 32 bits, got " + got);
        }
        int value = p.getIntValue();
        if (value <= 0) {
            throw new HparamsException("hparams file " + source + ": \"" + key + "\" must be positive, got " + value);
        }
        return value;
    }
}
