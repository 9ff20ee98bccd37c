package net.gpt2j.kit;

import java.nio.file.Path;
import java.util.Objects;
import net.gpt2j.format.Hparams;
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

    /** The FIXTURES.md weights of a synthetic spec, for a provider that writes or builds the model. */
    public SyntheticWeights syntheticWeights() {
        if (source != Source.SYNTHETIC) {
            throw new IllegalStateException("model spec " + name + " is " + source + ", not synthetic: it has no seeded weights");
        }
        return new SyntheticWeights(seed, hparams);
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
