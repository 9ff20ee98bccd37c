package net.gpt2j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.gpt2j.format.Hparams;

/**
 * The shape of a converted model, read from its {@code config.json} with HuggingFace's GPT2Config
 * names (what every converted folder and every hub GPT-2 folder carries), without loading weights.
 */
final class ModelShape {

    private ModelShape() {}

    static Hparams read(Path modelDir, String option) throws IOException {
        if (!Files.exists(modelDir)) {
            throw new IllegalArgumentException(option + " " + modelDir + ": not found");
        }
        Path config = modelDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException(option + " " + modelDir + " has no config.json: expected a folder written by gpt2 convert");
        }
        JsonNode c;
        try {
            c = new ObjectMapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(config + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        try {
            return new Hparams(field(c, "vocab_size", config), field(c, "n_positions", config), field(c, "n_embd", config),
                    field(c, "n_head", config), field(c, "n_layer", config));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config + ": " + e.getMessage());
        }
    }

    private static int field(JsonNode c, String key, Path file) {
        JsonNode v = c.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    static String describe(Hparams h) {
        return "n_layer " + h.nLayer() + ", n_embd " + h.nEmbd() + ", n_head " + h.nHead() + ", n_ctx " + h.nCtx()
                + ", n_vocab " + h.nVocab();
    }
}
