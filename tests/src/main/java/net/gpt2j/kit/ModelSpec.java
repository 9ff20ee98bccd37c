package net.gpt2j.kit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.gpt2j.format.GenerationConfigFile;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubConfig;
import net.gpt2j.format.OpenAiNames;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.format.safetensors.SafetensorsWriter;
import net.gpt2j.format.tokenizer.BpeFiles;
import net.gpt2j.format.tokenizer.BpeModel;
import net.gpt2j.format.tokenizer.HubTokenizerFiles;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.golden.SyntheticWeights;

/**
 * Which model a golden file needs, so a {@link PortProvider} can build or load it. The kit never
 * builds models; it only says which.
 *
 * @param name       the fixture name ({@code tiny}), the real model's name ({@code 124M}) or {@code tokenizer}
 * @param seed       the FIXTURES.md seed (synthetic models only): an unsigned 64-bit integer held in a
 *                   long's 64 bits, so 2^64-1 is {@code -1L} ({@link Long#toUnsignedString(long)} prints it)
 * @param hparams    the model's hyperparameters ({@code null} for {@link Source#TOKENIZER_ONLY})
 * @param checkpoint the OpenAI checkpoint folder ({@link Source#CHECKPOINT} only)
 */
public record ModelSpec(Source source, String name, long seed, Hparams hparams, Path checkpoint) {

    public enum Source {
        /** Seeded weights per FIXTURES.md: see {@link #syntheticWeights()}. */
        SYNTHETIC,
        /** A real OpenAI checkpoint folder given with {@code -Dgpt2.checkpoint=DIR}. */
        CHECKPOINT,
        /** The tokenizer goldens: only the real GPT-2 vocabulary is needed, no weights. */
        TOKENIZER_ONLY
    }

    public ModelSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
    }

    public static ModelSpec synthetic(String fixture, long seed, Hparams hparams) {
        return new ModelSpec(Source.SYNTHETIC, fixture, seed, Objects.requireNonNull(hparams, "hparams"), null);
    }

    public static ModelSpec checkpoint(String modelName, Hparams hparams, Path dir) {
        return new ModelSpec(Source.CHECKPOINT, modelName, 0, hparams, Objects.requireNonNull(dir, "dir"));
    }

    public static ModelSpec tokenizerOnly() {
        return new ModelSpec(Source.TOKENIZER_ONLY, "tokenizer", 0, null, null);
    }

    /**
     * For a {@link Source#CHECKPOINT} spec: whether {@link #checkpoint()} is a hub folder of the real
     * weights ({@code config.json}, {@code model.safetensors}) rather than OpenAI's release as it ships.
     */
    public boolean checkpointIsHubFolder() {
        return source == Source.CHECKPOINT && checkpoint != null && isHubFolderOfRelease(checkpoint);
    }

    /** Whether {@code dir}, given for the real weights, is a hub folder ({@code config.json}) and not OpenAI's release ({@code hparams.json}). */
    public static boolean isHubFolderOfRelease(Path dir) {
        return Files.isRegularFile(dir.resolve(HubConfig.FILE)) && !Files.isRegularFile(dir.resolve("hparams.json"));
    }

    /**
     * The FIXTURES.md weights of a synthetic spec, for a provider that writes or builds the model.
     *
     * @throws NotSyntheticSpecException for the tokenizer-only and checkpoint specs; thrown through a
     *         provider, it makes their cases SKIPPED with that reason, not failed
     */
    public SyntheticWeights syntheticWeights() {
        if (source != Source.SYNTHETIC) {
            throw new NotSyntheticSpecException(this);
        }
        return new SyntheticWeights(seed, hparams);
    }

    /**
     * Writes a synthetic spec's model as the hub's GPT-2 folder, what {@code gpt2 convert} writes and
     * HuggingFace's {@code from_pretrained} loads: {@code model.safetensors} (hub names, Conv1D
     * {@code [in, out]}, head tied), {@code config.json}, {@code generation_config.json} and the
     * tokenizer files (vocab.json, merges.txt, tokenizer.json, ...) of the real GPT-2 vocabulary. For a
     * port that loads from disk: it needs no safetensors, config or tokenizer writer of its own.
     *
     * @param dir a folder that does not exist yet or is empty
     * @return {@code dir}
     */
    public Path writeHubFolder(Path dir) throws IOException {
        SyntheticWeights weights = syntheticWeights();
        Files.createDirectories(dir);
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("hub folder " + dir + " must be empty or not exist yet");
            }
        }
        List<OpenAiNames.Row> table = OpenAiNames.table(hparams);
        List<TensorSpec> specs = new ArrayList<>();
        table.forEach(r -> specs.add(r.hub()));
        try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("model.safetensors"), specs, Map.of("format", "pt"))) {
            for (OpenAiNames.Row r : table) {
                // the hub's tensor is OpenAI's variable with Conv1D's leading 1 squeezed: the same values in order
                w.write(r.hub().name(), weights.values(new SyntheticWeights.Variable(r.openAi().name(), r.openAi().shape())));
            }
            w.finish();
        }
        HubConfig.openAi(hparams).write(dir);
        GenerationConfigFile.write(dir);
        HubTokenizerFiles.write(realVocabulary(dir), hparams.nCtx(), dir);
        return dir;
    }

    /** The real GPT-2 vocabulary and merges packaged in golden/, read through the format's file readers. */
    private static BpeModel realVocabulary(Path scratchParent) throws IOException {
        Path scratch = Files.createTempDirectory(scratchParent, ".vocab-");
        try {
            Path encoder = scratch.resolve("encoder.json");
            Path vocab = scratch.resolve("vocab.bpe");
            try (InputStream in = GoldenData.open("openai-gpt2-117M/encoder.json")) {
                Files.copy(in, encoder);
            }
            try (InputStream in = GoldenData.open("openai-gpt2-117M/vocab.bpe")) {
                Files.copy(in, vocab);
            }
            return new BpeModel(BpeFiles.readVocab(encoder), BpeFiles.readMerges(vocab));
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(scratch);
        }
    }

    @Override
    public String toString() {
        return switch (source) {
            case SYNTHETIC -> "fixture " + name + " (seed " + Long.toUnsignedString(seed) + ", " + hparams + ")";
            case CHECKPOINT -> "checkpoint " + name + " at " + checkpoint;
            case TOKENIZER_ONLY -> "tokenizer only";
        };
    }
}
