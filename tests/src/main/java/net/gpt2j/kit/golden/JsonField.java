package net.gpt2j.kit.golden;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON node that remembers its file and field path, so that every parse error names both
 * ({@code odd.golden.json: beam[3].sequences[1][7]: expected an integer token id, got "x"}).
 */
final class JsonField {

    private final String file;
    private final String path;
    private final JsonNode node;

    JsonField(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    String path() {
        return path;
    }

    GoldenFormatException error(String message) {
        return new GoldenFormatException(file + ": " + (path.isEmpty() ? "(top level)" : path) + ": " + message);
    }

    JsonField field(String name) {
        return optional(name).orElseThrow(() -> child(name, null).error("required field is missing"));
    }

    Optional<JsonField> optional(String name) {
        if (!node.isObject()) {
            throw error("expected a JSON object, got " + describe(node));
        }
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(child(name, v));
    }

    boolean has(String name) {
        return optional(name).isPresent();
    }

    private JsonField child(String name, JsonNode v) {
        return new JsonField(file, path.isEmpty() ? name : path + "." + name, v);
    }

    List<JsonField> elements() {
        if (!node.isArray()) {
            throw error("expected a JSON array, got " + describe(node));
        }
        List<JsonField> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonField(file, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    Map<String, JsonField> entries() {
        if (!node.isObject()) {
            throw error("expected a JSON object, got " + describe(node));
        }
        Map<String, JsonField> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), child(e.getKey(), e.getValue())));
        return out;
    }

    String text() {
        if (!node.isTextual()) {
            throw error("expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    /** Any scalar as text (recorded_with mixes strings and numbers). */
    String scalarText() {
        if (!node.isValueNode()) {
            throw error("expected a string or number, got " + describe(node));
        }
        return node.asText();
    }

    int intValue() {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error("expected an integer, got " + describe(node));
        }
        return node.intValue();
    }

    long longValue() {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw error("expected an integer, got " + describe(node));
        }
        return node.longValue();
    }

    /** An unsigned 64-bit integer in [0, 2^64), returned as its 64 bits (FIXTURES.md's seeds: 2^64-1 is -1L). */
    long unsignedLongValue() {
        if (!node.isIntegralNumber()) {
            throw error("expected an unsigned 64-bit integer, got " + describe(node));
        }
        java.math.BigInteger v = node.bigIntegerValue();
        if (v.signum() < 0 || v.bitLength() > 64) {
            throw error("expected an unsigned 64-bit integer in [0, 2^64), got " + v);
        }
        return v.longValue();
    }

    /** One integer or an array of them (HF's {@code eos_token_id} may be either), as an array. */
    int[] intOrIntArray() {
        return node.isArray() ? intArray() : new int[] {intValue()};
    }

    /**
     * Refuses any field outside {@code known}: a setting the kit does not know would be dropped
     * silently, the port run without it and then blamed for the difference.
     */
    JsonField requireOnly(java.util.Set<String> known) {
        for (String name : entries().keySet()) {
            if (!known.contains(name)) {
                throw child(name, node.get(name)).error("unknown field; the kit reads " + new java.util.TreeSet<>(known)
                        + " here, and a setting it does not know would be ignored and the port blamed for the difference");
            }
        }
        return this;
    }

    double doubleValue() {
        if (!node.isNumber()) {
            throw error("expected a number, got " + describe(node));
        }
        return node.doubleValue();
    }

    JsonNode raw() {
        return node;
    }

    int[] intArray() {
        List<JsonField> els = elements();
        int[] out = new int[els.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = els.get(i).intValue();
        }
        return out;
    }

    double[] doubleArray() {
        List<JsonField> els = elements();
        double[] out = new double[els.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = els.get(i).doubleValue();
        }
        return out;
    }

    int[][] intMatrix() {
        List<JsonField> rows = elements();
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).intArray();
        }
        return out;
    }

    /** Token ids must be in {@code [0, nVocab)}. */
    int[] tokenIds(int nVocab) {
        int[] ids = intArray();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= nVocab) {
                throw new JsonField(file, path + "[" + i + "]", node.get(i))
                        .error("token id " + ids[i] + " is outside the vocabulary [0, " + nVocab + ")");
            }
        }
        return ids;
    }

    /** Base64 of float32 little-endian values; {@code expectedCount < 0} accepts any whole count. */
    float[] base64Floats(int expectedCount) {
        return base64Floats(expectedCount, "");
    }

    /**
     * As {@link #base64Floats(int)}, every error starting with {@code subject} (e.g. {@code probe "h0.attn.q": }),
     * for data whose field path alone does not say what it is.
     */
    float[] base64Floats(int expectedCount, String subject) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text());
        } catch (IllegalArgumentException e) {
            throw error(subject + "not valid base64 (" + e.getMessage() + ")");
        }
        if (bytes.length % Float.BYTES != 0) {
            throw error(subject + "decodes to " + bytes.length + " bytes, not a whole number of float32 values");
        }
        int count = bytes.length / Float.BYTES;
        if (expectedCount >= 0 && count != expectedCount) {
            throw error(subject + "decodes to " + count + " float32 values, expected " + expectedCount);
        }
        float[] out = new float[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static String describe(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        String s = n.toString();
        return n.getNodeType().name().toLowerCase() + " " + (s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
}
