package net.gpt2j.format;

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

/**
 * The one parser of OpenAI's {@code hparams.json} ({@code {"n_vocab": 50257, "n_ctx": 1024,
 * "n_embd": 768, "n_head": 12, "n_layer": 12}}), for the converter, the downloader's release check
 * and the kit alike: every key required (a missing key is an error, never 0), integral, positive,
 * within {@link HparamsLimits}. Every failure names the file and the key.
 */
public final class HparamsJson {

    /** The keys OpenAI's file holds, all required. Other keys are ignored (later releases may add some). */
    public static final List<String> KEYS = List.of("n_vocab", "n_ctx", "n_embd", "n_head", "n_layer");

    /** Far above OpenAI's 90 bytes; a larger file is not an hparams.json and is not read whole. */
    public static final long MAX_BYTES = 1 << 20;

    /**
     * Jackson's streaming parser alone: the file is five numbers, and loading databind's
     * ObjectMapper to read them took 0.12 s of the converter's start.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HparamsJson() {}

    public static Hparams read(Path file) throws InvalidHparamsException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new InvalidHparamsException("hparams file " + file + " is " + size + " bytes, more than the "
                        + MAX_BYTES + " five numbers can need");
            }
            bytes = Files.readAllBytes(file);
        } catch (InvalidHparamsException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidHparamsException("cannot read hparams file " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the file's bytes; {@code source} names the file in error messages. */
    public static Hparams parse(byte[] json, String source) throws InvalidHparamsException {
        Map<String, Integer> values = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidHparamsException("hparams file " + source + " must hold a JSON object with the keys " + KEYS);
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
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidHparamsException("hparams file " + source + " has text after its JSON object");
            }
        } catch (InvalidHparamsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new InvalidHparamsException("hparams file " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidHparamsException("hparams file " + source + " cannot be parsed: " + e.getMessage(), e);
        }
        for (String key : KEYS) {
            if (!values.containsKey(key)) {
                throw new InvalidHparamsException("hparams file " + source + " has no key \"" + key + "\" (required: " + KEYS + ")");
            }
        }
        int nEmbd = values.get("n_embd");
        int nHead = values.get("n_head");
        if (nEmbd % nHead != 0) {
            throw new InvalidHparamsException("hparams file " + source + ": n_embd (" + nEmbd
                    + ") must be divisible by n_head (" + nHead + ")");
        }
        Hparams h = new Hparams(values.get("n_vocab"), values.get("n_ctx"), nEmbd, nHead, values.get("n_layer"));
        HparamsLimits.check(h, "file " + source);
        return h;
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
            throw new InvalidHparamsException("hparams file " + source + ": \"" + key
                    + "\" must be an integer that fits in 32 bits, got " + got);
        }
        int value = p.getIntValue();
        if (value <= 0) {
            throw new InvalidHparamsException("hparams file " + source + ": \"" + key + "\" must be positive, got " + value);
        }
        return value;
    }
}
