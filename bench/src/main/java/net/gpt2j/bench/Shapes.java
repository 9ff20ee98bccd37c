package net.gpt2j.bench;

import net.gpt2j.format.Hparams;

/** The model shapes the benchmarks use (OpenAI's hparams; the tiny one is the golden fixture's). */
final class Shapes {

    static final Hparams GPT2_124M = new Hparams(50257, 1024, 768, 12, 12);
    static final Hparams GPT2_1558M = new Hparams(50257, 1024, 1600, 25, 48);
    /** golden/data/hf-4.57.6/tiny.golden.json's hparams. */
    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);

    /** Every benchmark's synthetic weights use this seed (FIXTURES.md). */
    static final long SEED = 1;

    private Shapes() {}

    static Hparams named(String size) {
        switch (size) {
            case "124M":
                return GPT2_124M;
            case "1558M":
                return GPT2_1558M;
            case "tiny":
                return TINY;
            default:
                throw new IllegalArgumentException("unknown model size " + size + ", expected 124M, 1558M or tiny");
        }
    }

    /** Bytes of float32 weights: every OpenAI variable, as the checkpoint's data shard holds them. */
    static long weightBytes(Hparams h) {
        long e = h.nEmbd();
        long perBlock = 4 * e + (e * 3 * e + 3 * e) + (e * e + e) + (e * 4 * e + 4 * e) + (4 * e * e + e);
        return 4 * ((long) h.nVocab() * e + (long) h.nCtx() * e + h.nLayer() * perBlock + 2 * e);
    }

    /** Bytes a batch-1 decode step reads: every block's four matrices and the LM head (PERFORMANCE.md). */
    static long stepMatrixBytes(Hparams h) {
        long e = h.nEmbd();
        return 4 * (h.nLayer() * (e * 3 * e + e * e + e * 4 * e + 4 * e * e) + (long) h.nVocab() * e);
    }

    /** The largest single tensor, wte: what the converter holds at once. */
    static long largestTensorBytes(Hparams h) {
        return 4L * h.nVocab() * h.nEmbd();
    }
}
