package net.gpt2j.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubConfig;

/**
 * OpenAI's real weights given with {@code -Dgpt2.checkpoint=DIR}: the release folder as it ships, whose
 * {@code hparams.json} tells which released model it is, or a hub folder of it ({@code config.json},
 * as {@code gpt2 convert} or HF's own conversion writes it), for a port that reads only those. Real-weight
 * cases for another model are skipped by name.
 */
record RealCheckpoint(Path dir, String modelName, Hparams hparams) {

    public static final String PROPERTY = GoldenTests.CHECKPOINT_PROPERTY;

    /** OpenAI's released sizes by layer count (the names real-gpt2.json uses). */
    private static final Map<Integer, String> NAMES = Map.of(12, "124M", 24, "355M", 36, "774M", 48, "1558M");

    static RealCheckpoint read(Path dir) {
        Path file = dir.resolve("hparams.json");
        if (ModelSpec.isHubFolderOfRelease(dir)) {
            try {
                Hparams hp = HubConfig.read(dir).hparams();
                return of(dir, hp);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read " + dir.resolve(HubConfig.FILE) + ": " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint folder " + dir + " has neither hparams.json nor config.json;"
                    + " expected OpenAI's release layout (hparams.json, model.ckpt.*, encoder.json, vocab.bpe) or a hub"
                    + " folder of it (config.json, model.safetensors, the tokenizer files)");
        }
        try {
            JsonNode h = new ObjectMapper().readTree(file.toFile());
            Hparams hp = new Hparams(key(h, "n_vocab", file), key(h, "n_ctx", file), key(h, "n_embd", file),
                    key(h, "n_head", file), key(h, "n_layer", file));
            return of(dir, hp);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The release's name by its layer count (124M ...), or "N-layer" for a shape OpenAI did not release. */
    private static RealCheckpoint of(Path dir, Hparams hp) {
        return new RealCheckpoint(dir, NAMES.getOrDefault(hp.nLayer(), hp.nLayer() + "-layer"), hp);
    }

    /** A missing or non-integer key is refused by name, never read as 0. */
    private static int key(JsonNode h, String name, Path file) {
        JsonNode v = h.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + name + "\" must be an integer, got "
                    + (v == null ? "nothing (the key is missing)" : v.toString()));
        }
        return v.intValue();
    }

    ModelSpec spec() {
        return ModelSpec.checkpoint(modelName, hparams, dir);
    }
}
