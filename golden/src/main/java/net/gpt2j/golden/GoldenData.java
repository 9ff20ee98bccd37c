package net.gpt2j.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Locates the golden files packaged in this module's jar (copied from {@code golden/data/} in the
 * repository). Nothing here reads {@code ../shared}: a user's clone has only this.
 */
public final class GoldenData {

    /** Classpath folder that holds {@code golden/data/}. */
    public static final String ROOT = "net/gpt2j/golden/data/";

    /** The HuggingFace versions whose recordings ship, newest first. */
    public static final List<String> HF_VERSIONS = List.of("4.57.6", "4.28.1");

    /** The synthetic fixtures that ship (see fixtures.json). */
    public static final List<String> FIXTURES = List.of("tiny", "odd");

    /**
     * Small model goldens recorded with transformers 5.18.0 for the format's edges (FIXTURES.md,
     * "Format-gap fixtures"): {@code min_new_tokens} and {@code eos_token_id} lists on {@code tiny}, and
     * a fixture whose seed is 2^64-1.
     */
    public static final List<String> FORMAT_GAP_GOLDENS = List.of(
            "hf-5.18.0/tiny-format-gaps.golden.json", "hf-5.18.0/seed-max.golden.json");

    /**
     * A padded vocabulary (n_vocab 50304 over the 50257-token tokenizer), recorded with transformers
     * 5.18.0. Run by default: the converter accepts n_vocab at or above the tokenizer's size.
     */
    public static final String PADDED_VOCAB_GOLDEN = "hf-5.18.0/padded-vocab.golden.json";

    private GoldenData() {}

    /** Opens a packaged file by its path relative to {@code golden/data/}, e.g. {@code hf-4.57.6/tiny.golden.json}. */
    public static InputStream open(String relativePath) {
        InputStream in = GoldenData.class.getClassLoader().getResourceAsStream(ROOT + relativePath);
        if (in == null) {
            throw new UncheckedIOException(new IOException(
                    "golden file " + relativePath + " is not on the classpath under " + ROOT));
        }
        return in;
    }

    /** Reads a packaged file whole. */
    public static byte[] read(String relativePath) {
        try (InputStream in = open(relativePath)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + relativePath, e);
        }
    }

    public static String modelGolden(String hfVersion, String fixture) {
        return "hf-" + hfVersion + "/" + fixture + ".golden.json";
    }

    public static String activationsGolden(String fixture) {
        return "activations/" + fixture + ".activations.json";
    }

    /** The real GPT-2 vocabulary files, which every fixture uses too. */
    public static final String ENCODER_JSON = "openai-gpt2-117M/encoder.json";
    public static final String VOCAB_BPE = "openai-gpt2-117M/vocab.bpe";
    public static final String REAL_INDEX = "openai-gpt2-117M/model.ckpt.index";
    public static final String TOKENIZER_GOLDEN = "tokenizer.golden.json";
}
