package net.gpt2j.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A GPT-2 {@code config.json} as HuggingFace's {@code GPT2Config} reads and writes it: the five
 * hparams and the fields that change GPT-2's arithmetic. Written as {@code save_pretrained} writes
 * the hub's {@code gpt2} config (with {@code n_ctx} too, which older readers want); read back
 * strictly: a missing or mistyped size is refused naming the field, and every other field takes
 * {@code GPT2Config}'s default when absent.
 *
 * <p>Left out of what is written: the hub's {@code task_specific_params} ({@code do_sample: true,
 * max_length: 50}), a pipeline default rather than part of the model.
 *
 * @param nInner the MLP's width; {@code config.json}'s {@code n_inner} null means {@code 4 * n_embd}
 */
public record HubConfig(Hparams hparams, int nInner, String activationFunction, double layerNormEpsilon,
        boolean scaleAttnWeights, boolean scaleAttnByInverseLayerIdx, boolean reorderAndUpcastAttn,
        boolean tieWordEmbeddings) {

    public static final String FILE = "config.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public HubConfig {
        if (nInner <= 0) {
            throw new IllegalArgumentException("n_inner must be a positive integer, got " + nInner);
        }
        if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be a positive number, got " + layerNormEpsilon);
        }
    }

    /** OpenAI's GPT-2 with these hparams, as the hub's {@code gpt2} configures it. */
    public static HubConfig openAi(Hparams h) {
        return new HubConfig(h, 4 * h.nEmbd(), "gelu_new", 1e-5, true, false, false, true);
    }

    /** The config.json tree, field for field what {@code GPT2Config.save_pretrained} writes (plus n_ctx). */
    public ObjectNode toJson() {
        Hparams h = hparams;
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("model_type", "gpt2");
        c.putArray("architectures").add("GPT2LMHeadModel");
        c.put("vocab_size", h.nVocab());
        c.put("n_positions", h.nCtx());
        c.put("n_ctx", h.nCtx());
        c.put("n_embd", h.nEmbd());
        c.put("n_layer", h.nLayer());
        c.put("n_head", h.nHead());
        if (nInner == 4 * h.nEmbd()) {
            c.putNull("n_inner");
        } else {
            c.put("n_inner", nInner);
        }
        c.put("activation_function", activationFunction);
        c.put("layer_norm_epsilon", layerNormEpsilon);
        c.put("initializer_range", 0.02);
        c.put("resid_pdrop", 0.1);
        c.put("embd_pdrop", 0.1);
        c.put("attn_pdrop", 0.1);
        c.put("summary_type", "cls_index");
        c.put("summary_use_proj", true);
        c.putNull("summary_activation");
        c.put("summary_proj_to_labels", true);
        c.put("summary_first_dropout", 0.1);
        c.put("scale_attn_weights", scaleAttnWeights);
        c.put("scale_attn_by_inverse_layer_idx", scaleAttnByInverseLayerIdx);
        c.put("reorder_and_upcast_attn", reorderAndUpcastAttn);
        c.put("use_cache", true);
        c.put("bos_token_id", Gpt2Constants.END_OF_TEXT);
        c.put("eos_token_id", Gpt2Constants.END_OF_TEXT);
        c.put("tie_word_embeddings", tieWordEmbeddings);
        return c;
    }

    /** Writes {@code config.json} into {@code dir} (which must not hold one). */
    public void write(Path dir) throws IOException {
        writeJson(dir.resolve(FILE), toJson());
    }

    /** Reads {@code dir/config.json}. */
    public static HubConfig read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode c;
        try {
            c = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new HubFormatException(dir + " has no " + FILE);
        } catch (JsonProcessingException e) {
            throw new HubFormatException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (c == null || !c.isObject()) {
            throw new HubFormatException(file + " must be a JSON object");
        }
        if (c.has("gpt2j_layout") && !"hf".equals(c.get("gpt2j_layout").asText())) {
            // written by gpt2 convert before the folder became the hub's: Q/K/V split, [out, in] names
            throw new HubFormatException(file + ": field 'gpt2j_layout' is " + c.get("gpt2j_layout")
                    + ": this folder is in gpt2j's old runtime layout, which nothing reads any more; convert the release again");
        }
        JsonNode type = c.get("model_type");
        if (type != null && !"gpt2".equals(type.asText())) {
            throw new HubFormatException(file + ": field 'model_type' is " + type + ", expected \"gpt2\"");
        }
        Hparams h;
        try {
            h = new Hparams(size(c, "vocab_size", file), size(c, "n_positions", file), size(c, "n_embd", file),
                    size(c, "n_head", file), size(c, "n_layer", file));
        } catch (IllegalArgumentException e) {
            throw new HubFormatException(file + ": " + e.getMessage());
        }
        try {
            HparamsLimits.check(h, "config " + file); // before anything is sized from these numbers
        } catch (InvalidHparamsException e) {
            throw new HubFormatException(e.getMessage());
        }
        JsonNode inner = c.get("n_inner");
        int nInner = inner == null || inner.isNull() ? 4 * h.nEmbd() : size(c, "n_inner", file);
        try {
            return new HubConfig(h, nInner, text(c, "activation_function", "gelu_new", file),
                    number(c, "layer_norm_epsilon", 1e-5, file), bool(c, "scale_attn_weights", true, file),
                    bool(c, "scale_attn_by_inverse_layer_idx", false, file),
                    bool(c, "reorder_and_upcast_attn", false, file), bool(c, "tie_word_embeddings", true, file));
        } catch (IllegalArgumentException e) {
            throw new HubFormatException(file + ": " + e.getMessage());
        }
    }

    private static int size(JsonNode c, String key, Path file) throws HubFormatException {
        JsonNode v = c.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw new HubFormatException(file + ": field '" + key + "' must be a positive integer, got "
                    + (v == null ? "nothing (it is missing)" : v));
        }
        return v.intValue();
    }

    private static String text(JsonNode c, String key, String fallback, Path file) throws HubFormatException {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new HubFormatException(file + ": field '" + key + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    private static double number(JsonNode c, String key, double fallback, Path file) throws HubFormatException {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new HubFormatException(file + ": field '" + key + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode c, String key, boolean fallback, Path file) throws HubFormatException {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new HubFormatException(file + ": field '" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    /** Writes a JSON tree as {@code save_pretrained} does: indented, a new file. */
    static void writeJson(Path file, JsonNode tree) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            out.write(JSON.writeValueAsBytes(tree)); // writeValue(out) would close the stream before the newline
            out.write('\n');
        }
    }
}
