package net.gpt2j.format;

/**
 * GPT-2's five hyperparameters, as in OpenAI's {@code hparams.json}. Shared by the converter, the
 * runtime and the kit so that a model is described the same way everywhere.
 */
public record Hparams(int nVocab, int nCtx, int nEmbd, int nHead, int nLayer) {

    public Hparams {
        requirePositive("n_vocab", nVocab);
        requirePositive("n_ctx", nCtx);
        requirePositive("n_embd", nEmbd);
        requirePositive("n_head", nHead);
        requirePositive("n_layer", nLayer);
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException(
                    "n_embd (" + nEmbd + ") must be divisible by n_head (" + nHead + ")");
        }
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be a positive integer, got " + value);
        }
    }
}
