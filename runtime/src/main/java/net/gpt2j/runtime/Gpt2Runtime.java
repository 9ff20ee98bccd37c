package net.gpt2j.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.Hparams;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.BeamResult;
import net.gpt2j.runtime.generate.BeamSearch;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.GreedySearch;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.generate.Sampler;
import net.gpt2j.runtime.generate.SequenceScorer;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.model.Gpt2Model;
import net.gpt2j.runtime.model.KvCacheDecoder;
import net.gpt2j.runtime.model.LoadAside;
import net.gpt2j.runtime.model.ModelConfig;
import net.gpt2j.runtime.model.WeightSource;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;

/**
 * The runtime's front door: a loaded model, its tokenizer, and generation wired together. Loads a
 * hub GPT-2 folder ({@link #load}: what {@code gpt2 convert} writes, or any GPT-2 folder HuggingFace's
 * {@code save_pretrained} wrote) or the converter's in-memory weights ({@link #fromWeights}), so a
 * conversion can be run without a file in between.
 */
public final class Gpt2Runtime implements AutoCloseable {

    private final Gpt2Model model;
    private final Gpt2Tokenizer tokenizer;

    private Gpt2Runtime(Gpt2Model model, Gpt2Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Loads a hub GPT-2 folder, checking its weights against our manifest.json when it has one. */
    public static Gpt2Runtime load(Path modelDir, DeviceChoice device) throws IOException {
        return load(modelDir, device, true);
    }

    /**
     * Loads a hub GPT-2 folder. {@code verifyWeights}: check every tensor's CRC-32C against the
     * folder's manifest.json, when it has one (what {@code --no-verify-weights} turns off). NaN or
     * infinite weights are refused either way.
     */
    public static Gpt2Runtime load(Path modelDir, DeviceChoice device, boolean verifyWeights) throws IOException {
        // the engine's start and the tokenizer's files need nothing from the weights: on their own
        // threads they overlap the folder's checks and the weights' copy (LoadAside)
        LoadAside<Object> engine = LoadAside.start("engine", Gpt2Model::startEngine);
        LoadAside<Gpt2Tokenizer> tokenizer = LoadAside.start("tokenizer", () -> Gpt2Tokenizer.fromHubFolder(modelDir));
        try (HubModelFolder folder = HubModelFolder.open(modelDir, verifyWeights)) {
            if (tokenizer.failedAlready()) {
                tokenizer.join(); // its own error, before any weight is copied
            }
            engine.join();
            // the model copies the mapped tensors into engine memory (or holds their mappings), so the
            // file can be closed after loading
            Gpt2Model model = Gpt2Model.load(folder.weights(), folder.hparams(), folder.modelConfig(), device);
            try {
                return new Gpt2Runtime(model, tokenizer.join());
            } catch (IOException | RuntimeException | Error e) {
                model.close();
                throw e;
            }
        }
    }

    /** Builds a runtime from hub-named tensors in memory (e.g. {@code Converter.convertInMemory}). */
    public static Gpt2Runtime fromWeights(Map<String, MappedTensor> weights, Hparams hparams, ModelConfig config,
            Gpt2Tokenizer tokenizer, DeviceChoice device) {
        return new Gpt2Runtime(Gpt2Model.load(WeightSource.of(weights), hparams, config, device), tokenizer);
    }

    public Gpt2Model model() {
        return model;
    }

    public Gpt2Tokenizer tokenizer() {
        return tokenizer;
    }

    public Hparams hparams() {
        return model.hparams();
    }

    /** Greedy (batch) generation; rows are prompt + new tokens, as HuggingFace returns them. */
    public int[][] greedy(PromptBatch prompts, GenerationConfig config) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            return new GreedySearch(config).generate(decoder, prompts).sequences();
        }
    }

    public BeamResult beam(PromptBatch prompts, GenerationConfig config, BeamLengthConvention convention) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            return new BeamSearch(config, convention).generate(decoder, prompts);
        }
    }

    /** Sampling; {@code num_return_sequences} rows per prompt, consecutive, as HF's {@code generate} returns them. */
    public int[][] sample(PromptBatch prompts, GenerationConfig config) {
        PromptBatch rows = config.numReturnSequences() > 1 ? prompts.repeatRows(config.numReturnSequences()) : prompts;
        try (KvCacheDecoder decoder = model.newDecoder()) {
            return new Sampler(config).generate(decoder, rows).sequences();
        }
    }

    /**
     * Generates from {@code config}: sampling when {@code doSample}, beam search when
     * {@code numBeams > 1}, greedy otherwise, as HuggingFace's {@code generate} dispatches.
     */
    public int[][] generate(PromptBatch prompts, GenerationConfig config, BeamLengthConvention convention) {
        if (config.doSample()) {
            return sample(prompts, config);
        }
        if (config.numBeams() > 1) {
            return beam(prompts, config, convention).sequences();
        }
        return greedy(prompts, config);
    }

    /** Every position's logits of one unpadded sequence: for log-probabilities and perplexity. */
    public SequenceScorer scorer() {
        return ids -> model.logits(new int[][] {ids}, new int[][] {ones(ids.length)})[0];
    }

    static int[] ones(int n) {
        int[] m = new int[n];
        java.util.Arrays.fill(m, 1);
        return m;
    }

    @Override
    public void close() {
        model.close();
    }
}
