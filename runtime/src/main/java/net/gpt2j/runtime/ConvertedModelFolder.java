package net.gpt2j.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import net.gpt2j.converter.Converter;
import net.gpt2j.format.safetensors.SafetensorsReader;
import net.gpt2j.format.Hparams;
import net.gpt2j.runtime.model.ModelConfig;
import net.gpt2j.runtime.model.WeightSource;
import net.gpt2j.runtime.model.WeightTensor;

/**
 * A folder written by {@code gpt2 convert} (runtime layout): reads {@code config.json} into hparams
 * and a {@link ModelConfig}, and serves {@code model.safetensors}'s tensors memory-mapped, without a
 * heap copy, as a {@link WeightSource}.
 */
final class ConvertedModelFolder implements AutoCloseable {

    private final Path dir;
    private final Hparams hparams;
    private final ModelConfig modelConfig;
    private final SafetensorsReader safetensors;

    private ConvertedModelFolder(Path dir, Hparams hparams, ModelConfig modelConfig, SafetensorsReader safetensors) {
        this.dir = dir;
        this.hparams = hparams;
        this.modelConfig = modelConfig;
        this.safetensors = safetensors;
    }

    static ConvertedModelFolder open(Path dir) throws IOException {
        Path configFile = dir.resolve(Converter.CONFIG);
        for (String name : new String[] {Converter.CONFIG, Converter.SAFETENSORS, Converter.ENCODER, Converter.VOCAB}) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IOException("converted model folder " + dir + " has no " + name
                        + " (write one with: gpt2 convert SRC --out " + dir + ")");
            }
        }
        JsonNode config = new ObjectMapper().readTree(configFile.toFile());
        String layout = config.path(net.gpt2j.converter.ModelConfig.LAYOUT_FIELD).asText("hf");
        if (!layout.equals("runtime")) {
            throw new IOException(configFile + " describes a '" + layout + "' layout folder; the runtime loads the "
                    + "runtime layout (gpt2 convert SRC --out DIR --layout runtime)");
        }
        Hparams hparams = new Hparams(intField(config, "vocab_size", configFile), intField(config, "n_positions", configFile),
                intField(config, "n_embd", configFile), intField(config, "n_head", configFile),
                intField(config, "n_layer", configFile));
        ModelConfig modelConfig = new ModelConfig(config.path("layer_norm_epsilon").asDouble(1e-5),
                ModelConfig.Activation.fromHuggingFace(config.path("activation_function").asText("gelu_new")));
        return new ConvertedModelFolder(dir, hparams, modelConfig, SafetensorsReader.open(dir.resolve(Converter.SAFETENSORS)));
    }

    private static int intField(JsonNode config, String key, Path file) throws IOException {
        JsonNode v = config.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IOException(file + ": field '" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    Hparams hparams() {
        return hparams;
    }

    ModelConfig modelConfig() {
        return modelConfig;
    }

    Path encoderJson() {
        return dir.resolve(Converter.ENCODER);
    }

    Path vocabBpe() {
        return dir.resolve(Converter.VOCAB);
    }

    /** The safetensors file as a weight source: names are looked up as the runtime layout writes them. */
    WeightSource weights() {
        return name -> {
            if (safetensors.tensors().stream().noneMatch(t -> t.name().equals(name))) {
                return Optional.empty();
            }
            try {
                return Optional.of(new WeightTensor(safetensors.spec(name).shape(), safetensors.floats(name)));
            } catch (IOException e) {
                throw new IllegalArgumentException(dir.resolve(Converter.SAFETENSORS) + ": tensor " + name + ": " + e.getMessage(), e);
            }
        };
    }

    @Override
    public void close() throws IOException {
        safetensors.close();
    }
}
