package net.gpt2j.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code generation_config.json}: as {@code GenerationConfig.from_model_config} writes it for GPT-2
 * (only the token ids; everything else is {@code generate()}'s default, greedy), and as a folder's
 * author may have set it ({@link #settings}): HF's {@code generate()} takes every setting the caller
 * does not give from it, so a fine-tuned model's file can choose sampling, beams or its end tokens.
 */
public final class GenerationConfigFile {

    public static final String FILE = "generation_config.json";

    private GenerationConfigFile() {}

    public static ObjectNode toJson() {
        ObjectNode g = JsonNodeFactory.instance.objectNode();
        g.put("_from_model_config", true);
        g.put("bos_token_id", Gpt2Constants.END_OF_TEXT);
        g.put("eos_token_id", Gpt2Constants.END_OF_TEXT);
        return g;
    }

    public static void write(Path dir) throws IOException {
        HubConfig.writeJson(dir.resolve(FILE), toJson());
    }

    /**
     * What {@code dir}'s {@code generation_config.json} sets for generation, as HF's {@code generate()}
     * reads it: each setting this project implements that the file gives a value (null counts as not
     * set), type-checked, and the settings it sets that change HF's output but that this project does
     * not implement. No file: nothing set. Whether a value is in range is the runtime's rule, not this.
     *
     * @throws HubFormatException naming the file and field: not JSON, not an object, or a value of the wrong type
     */
    public static Settings settings(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new Settings(file, Map.of(), List.of());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new HubFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new HubFormatException(file + " must hold a JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> unsupported = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String field = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            Kind kind = IMPLEMENTED.get(field);
            if (kind != null) {
                values.put(field, kind.read(file, field, v));
            } else if (NEUTRAL.containsKey(field) && !isNeutral(v, NEUTRAL.get(field))) {
                unsupported.add(field + "=" + v);
            }
        }
        return new Settings(file, values, unsupported);
    }

    /**
     * A folder's generation settings ({@link #settings}): {@code values} by HF's field name, in the
     * file's order: {@code Integer}, {@code Double}, {@code Boolean}, {@code early_stopping} as
     * {@code "false"}, {@code "true"} or {@code "never"}, {@code eos_token_id} as {@code int[]}.
     * {@code unsupported}: {@code field=value} for each setting HF applies that this project does not.
     */
    public record Settings(Path file, Map<String, Object> values, List<String> unsupported) {
        public Settings {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            unsupported = List.copyOf(unsupported);
        }

        /** The end tokens the file sets ({@code eos_token_id}: one id or a list). */
        public Optional<int[]> endTokens() {
            return Optional.ofNullable((int[]) values.get("eos_token_id"));
        }
    }

    /** The settings the runtime implements, with the JSON type HF's GenerationConfig gives each. */
    private static final Map<String, Kind> IMPLEMENTED = Map.ofEntries(
            Map.entry("max_new_tokens", Kind.INTEGER), Map.entry("max_length", Kind.INTEGER),
            Map.entry("min_new_tokens", Kind.INTEGER), Map.entry("min_length", Kind.INTEGER),
            Map.entry("do_sample", Kind.BOOLEAN), Map.entry("num_beams", Kind.INTEGER),
            Map.entry("num_return_sequences", Kind.INTEGER), Map.entry("temperature", Kind.NUMBER),
            Map.entry("top_k", Kind.INTEGER), Map.entry("top_p", Kind.NUMBER),
            Map.entry("repetition_penalty", Kind.NUMBER), Map.entry("no_repeat_ngram_size", Kind.INTEGER),
            Map.entry("length_penalty", Kind.NUMBER), Map.entry("early_stopping", Kind.EARLY_STOPPING),
            Map.entry("eos_token_id", Kind.TOKEN_IDS));

    /**
     * Settings HF's generate() applies to a GPT-2 that this project does not implement, each with the
     * value at which it does nothing (transformers 5.18, GenerationConfig; null: unset). Set to
     * anything else, they are reported, so a folder's author learns that its file asks for more.
     */
    private static final Map<String, Object> NEUTRAL = neutral();

    private static Map<String, Object> neutral() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : List.of("max_time", "stop_strings", "min_p", "top_h", "bad_words_ids", "force_words_ids",
                "forced_bos_token_id", "forced_eos_token_id", "exponential_decay_length_penalty", "suppress_tokens",
                "begin_suppress_tokens", "sequence_bias", "watermarking_config", "penalty_alpha", "dola_layers",
                "constraints")) {
            m.put(f, null);
        }
        m.put("typical_p", 1.0);
        m.put("epsilon_cutoff", 0.0);
        m.put("eta_cutoff", 0.0);
        m.put("encoder_repetition_penalty", 1.0);
        m.put("diversity_penalty", 0.0);
        m.put("num_beam_groups", 1.0);
        m.put("guidance_scale", 1.0);
        m.put("renormalize_logits", false);
        m.put("remove_invalid_values", false);
        m.put("token_healing", false);
        return m;
    }

    private static boolean isNeutral(JsonNode v, Object neutral) {
        if (neutral instanceof Double d) {
            return v.isNumber() && v.asDouble() == d;
        }
        if (neutral instanceof Boolean b) {
            return v.isBoolean() && v.asBoolean() == b;
        }
        return false; // neutral only when unset (null, skipped before)
    }

    private enum Kind {
        INTEGER, NUMBER, BOOLEAN, EARLY_STOPPING, TOKEN_IDS;

        Object read(Path file, String field, JsonNode v) throws HubFormatException {
            switch (this) {
                case INTEGER:
                    if (v.isIntegralNumber() && v.canConvertToInt()) {
                        return v.asInt();
                    }
                    throw wrong(file, field, "an integer", v);
                case NUMBER:
                    if (v.isNumber()) {
                        return v.asDouble();
                    }
                    throw wrong(file, field, "a number", v);
                case BOOLEAN:
                    if (v.isBoolean()) {
                        return v.asBoolean();
                    }
                    throw wrong(file, field, "true or false", v);
                case EARLY_STOPPING:
                    if (v.isBoolean()) {
                        return String.valueOf(v.asBoolean());
                    }
                    if (v.isTextual() && v.asText().equals("never")) {
                        return "never";
                    }
                    throw wrong(file, field, "true, false or \"never\"", v);
                default:
                    return tokenIds(file, field, v);
            }
        }

        private static int[] tokenIds(Path file, String field, JsonNode v) throws HubFormatException {
            List<JsonNode> ids = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(ids::add);
            } else {
                ids.add(v);
            }
            boolean tokenIds = !ids.isEmpty()
                    && ids.stream().allMatch(id -> id.isIntegralNumber() && id.canConvertToInt() && id.asInt() >= 0);
            if (!tokenIds) {
                throw wrong(file, field, "a token id or a list of them", v);
            }
            return ids.stream().mapToInt(JsonNode::asInt).toArray();
        }

        private static HubFormatException wrong(Path file, String field, String expected, JsonNode v) {
            return new HubFormatException(file + ": field '" + field + "' must be " + expected + ", got " + v);
        }
    }
}
