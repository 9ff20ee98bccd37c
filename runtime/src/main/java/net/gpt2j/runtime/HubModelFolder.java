package net.gpt2j.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubConfig;
import net.gpt2j.format.HubFormatException;
import net.gpt2j.format.HubNames;
import net.gpt2j.format.ManifestChecksums;
import net.gpt2j.format.Problems;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.format.safetensors.SafetensorsHeader;
import net.gpt2j.format.safetensors.ShardedSafetensors;
import net.gpt2j.runtime.model.ModelConfig;
import net.gpt2j.runtime.model.WeightSource;
import net.gpt2j.runtime.model.WeightTensor;

/**
 * A GPT-2 folder as HuggingFace's hub holds it, whoever wrote it ({@code gpt2 convert} or
 * {@code save_pretrained}): {@code config.json} read into hparams and a {@link ModelConfig}, and the
 * safetensors weights (one file or sharded, F32 memory-mapped without a heap copy, F16/BF16 upcast)
 * served by their unprefixed hub names as a {@link WeightSource}.
 *
 * <p>What is tolerated, as {@code from_pretrained} tolerates it: a {@code transformer.} prefix, the
 * attention mask buffers, and {@code lm_head.weight} beside a tied head (ignored: HF ties it to
 * {@code wte}). With {@code tie_word_embeddings: false} the stored {@code lm_head.weight} is the head.
 * Any other tensor is refused, naming it: it means another architecture.
 */
final class HubModelFolder implements AutoCloseable {

    private final Path dir;
    private final HubConfig config;
    private final ModelConfig modelConfig;
    private final ShardedSafetensors weights;
    /** Stored name by unprefixed hub name, for the tensors the model reads. */
    private final Map<String, String> storedByHubName;

    private HubModelFolder(Path dir, HubConfig config, ModelConfig modelConfig, ShardedSafetensors weights,
            Map<String, String> storedByHubName) {
        this.dir = dir;
        this.config = config;
        this.modelConfig = modelConfig;
        this.weights = weights;
        this.storedByHubName = storedByHubName;
    }

    /**
     * Opens {@code dir}. With {@code verifyWeights}, a folder holding our manifest.json has every
     * tensor's CRC-32C checked against it first.
     */
    static HubModelFolder open(Path dir, boolean verifyWeights) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new HubFormatException("model folder " + dir + " does not exist or is not a folder");
        }
        HubConfig config = HubConfig.read(dir);
        ModelConfig modelConfig = modelConfig(config, dir.resolve(HubConfig.FILE));
        ShardedSafetensors weights = ShardedSafetensors.open(dir);
        try {
            Map<String, String> names = hubNames(weights, config, dir);
            checkMlpWidth(weights, names, config, dir);
            if (verifyWeights && ManifestChecksums.present(dir)) {
                ManifestChecksums.verify(dir, weights);
            }
            return new HubModelFolder(dir, config, modelConfig, weights, names);
        } catch (IOException | RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /**
     * The runtime's settings from config.json, refusing what it cannot honour, naming the field.
     * {@code reorder_and_upcast_attn} is accepted: it makes HF compute attention in float32 with the
     * scale folded into the product, which is what the runtime does anyway.
     */
    private static ModelConfig modelConfig(HubConfig c, Path file) throws HubFormatException {
        if (!c.scaleAttnWeights()) {
            throw new HubFormatException(file + ": field 'scale_attn_weights' is false; the runtime always scales "
                    + "attention scores by 1/sqrt(head_dim), as GPT-2 does");
        }
        if (c.scaleAttnByInverseLayerIdx()) {
            throw new HubFormatException(file + ": field 'scale_attn_by_inverse_layer_idx' is true; the runtime does "
                    + "not scale attention by layer (only GPT-2's 1/sqrt(head_dim))");
        }
        try {
            return new ModelConfig(c.layerNormEpsilon(), ModelConfig.Activation.fromHuggingFace(c.activationFunction()));
        } catch (IllegalArgumentException e) {
            throw new HubFormatException(file + ": field " + e.getMessage());
        }
    }

    /** Maps unprefixed hub names to stored names, refusing duplicates and tensors GPT-2 does not have. */
    private static Map<String, String> hubNames(ShardedSafetensors weights, HubConfig config, Path dir)
            throws HubFormatException {
        Set<String> known = new HashSet<>();
        for (TensorSpec s : HubNames.expected(config.hparams(), config.nInner())) {
            known.add(s.name());
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String stored : weights.names()) {
            String name = HubNames.unprefixed(stored);
            if (HubNames.isBuffer(name) || (name.equals(HubNames.LM_HEAD) && config.tieWordEmbeddings())) {
                continue; // a constant mask, or a head HF ties to wte.weight whatever it holds
            }
            if (!known.contains(name) && !name.equals(HubNames.LM_HEAD)) {
                unknown.add(stored);
                continue;
            }
            String before = out.put(name, stored);
            if (before != null) {
                throw new HubFormatException(dir + " holds tensor " + name + " twice, as " + before + " and " + stored);
            }
        }
        if (!unknown.isEmpty()) {
            throw new HubFormatException(dir + " holds " + unknown.size() + " tensor(s) a GPT-2 (GPT2LMHeadModel) does not have: "
                    + Problems.join(unknown, ", "));
        }
        if (!config.tieWordEmbeddings() && !out.containsKey(HubNames.LM_HEAD)) {
            throw new HubFormatException(dir.resolve(HubConfig.FILE) + ": field 'tie_word_embeddings' is false but the "
                    + "weights hold no " + HubNames.LM_HEAD);
        }
        return out;
    }

    /**
     * The MLP's width in config.json ({@code n_inner}; null means 4 * n_embd) against the weights'.
     * The model takes its width from the weights, so a config that disagrees would run where HF's
     * {@code from_pretrained} refuses the folder (a size mismatch): refused here too, naming both.
     */
    private static void checkMlpWidth(ShardedSafetensors weights, Map<String, String> names, HubConfig config, Path dir)
            throws IOException {
        String cFc = HubNames.block(0) + "mlp.c_fc.weight";
        String stored = names.get(cFc);
        if (stored == null) {
            return; // missing: the weights' own check names it with its expected shape
        }
        long[] shape = weights.spec(stored).shape();
        if (shape.length == 2 && shape[1] != config.nInner()) {
            throw new HubFormatException(dir.resolve(HubConfig.FILE) + ": the MLP is " + config.nInner() + " wide (field 'n_inner'"
                    + (config.nInner() == 4 * config.hparams().nEmbd() ? ", or null: 4 * n_embd" : "") + ") but tensor " + stored
                    + " has shape " + Arrays.toString(shape) + ", " + shape[1] + " wide");
        }
    }

    Hparams hparams() {
        return config.hparams();
    }

    ModelConfig modelConfig() {
        return modelConfig;
    }

    Path dir() {
        return dir;
    }

    /** The weights by unprefixed hub name, as float32; float32 tensors carry their file mapping. */
    WeightSource weights() {
        return name -> {
            String stored = storedByHubName.get(name);
            if (stored == null) {
                return Optional.empty();
            }
            try {
                long[] shape = weights.spec(stored).shape();
                if (SafetensorsHeader.DTYPE_F32.equals(weights.dtype(stored))) {
                    // the file's own pages: the model may use them as its memory (WeightMemory)
                    return Optional.of(WeightTensor.mapped(shape, weights.bytes(stored)));
                }
                return Optional.of(new WeightTensor(shape, weights.floats(stored)));
            } catch (IOException e) {
                throw new IllegalArgumentException("tensor " + stored + ": " + e.getMessage(), e);
            }
        };
    }

    @Override
    public void close() throws IOException {
        weights.close();
    }
}
