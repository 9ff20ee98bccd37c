package net.gpt2j.format;

/**
 * What a GPT-2 model may claim before anything is sized from its numbers. The largest release
 * (1558M: 48 layers, width 1600, 6.2 GB of float32) sits far below every limit; the limits are
 * there so that a typo or a hostile file ({@code "n_layer": 1000000000}) is refused in one line
 * instead of making a reader expand a billion tensor names or allocate until it dies.
 */
public final class HparamsLimits {

    public static final int MAX_VOCAB = 1 << 24;
    public static final int MAX_CTX = 1 << 20;
    public static final int MAX_EMBD = 1 << 16;
    public static final int MAX_LAYER = 1024;
    /** float32 weights of at most 128 GiB: twenty times the largest GPT-2. */
    public static final long MAX_PARAMETERS = 1L << 35;

    private HparamsLimits() {}

    /** Refuses hparams beyond the limits; {@code source} names the file in the message. */
    public static void check(Hparams h, String source) throws InvalidHparamsException {
        atMost(source, "n_vocab", h.nVocab(), MAX_VOCAB);
        atMost(source, "n_ctx", h.nCtx(), MAX_CTX);
        atMost(source, "n_embd", h.nEmbd(), MAX_EMBD);
        atMost(source, "n_layer", h.nLayer(), MAX_LAYER);
        long parameters = parameters(h);
        if (parameters > MAX_PARAMETERS) {
            throw new InvalidHparamsException("hparams " + source + " describe a model of " + parameters
                    + " parameters, more than the " + MAX_PARAMETERS + " this tool accepts (the largest GPT-2 has 1.6e9)");
        }
    }

    /** GPT-2's parameter count for these hparams (embeddings, blocks, final norm); exact in a long for any int hparams. */
    public static long parameters(Hparams h) {
        long e = h.nEmbd();
        long perLayer = 12 * e * e + 13 * e; // c_attn 3E^2+3E, c_proj E^2+E, c_fc 4E^2+4E, mlp c_proj 4E^2+E, two norms 4E
        return (long) h.nVocab() * e + (long) h.nCtx() * e + h.nLayer() * perLayer + 2 * e;
    }

    private static void atMost(String source, String key, int value, int max) throws InvalidHparamsException {
        if (value > max) {
            throw new InvalidHparamsException("hparams " + source + ": \"" + key + "\" is " + value + ", more than the "
                    + max + " a GPT-2 model may claim");
        }
    }
}
