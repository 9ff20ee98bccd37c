package net.gpt2j.runtime.model;

/**
 * The settings that change GPT-2's arithmetic beyond the five hparams: HuggingFace's
 * {@code GPT2Config.layer_norm_epsilon} and {@code activation_function}, and where position ids come
 * from. OpenAI's checkpoints use the defaults ({@link #DEFAULT}).
 */
public record ModelConfig(double layerNormEpsilon, Activation activation, PositionIds positionIds) {

    /** OpenAI's GPT-2 and HuggingFace's defaults: eps 1e-5, the tanh GELU, positions as generate() sets them. */
    public static final ModelConfig DEFAULT = new ModelConfig(1e-5, Activation.GELU_TANH, PositionIds.FROM_MASK);

    public ModelConfig(double layerNormEpsilon, Activation activation) {
        this(layerNormEpsilon, activation, PositionIds.FROM_MASK);
    }

    /**
     * Where a token's position id comes from. The runtime has one rule, {@link #FROM_MASK}; the
     * interface is the seam through which a test plants another (the classic batching mistake of
     * counting padding) to show the kit catching it.
     */
    @FunctionalInterface
    public interface PositionIds {
        /**
         * HuggingFace's {@code generate}: {@code cumsum(attention_mask) - 1}, padding set to 1, so a
         * left-padded row's first real token is at position 0. The default.
         */
        PositionIds FROM_MASK = (column, realTokensBefore, real) -> real ? realTokensBefore : 1;

        /**
         * @param column the token's column in its (left-padded) row
         * @param realTokensBefore how many real (mask 1) tokens precede it in the row
         * @param real whether the token itself is real
         */
        long of(int column, int realTokensBefore, boolean real);
    }

    public ModelConfig {
        if (positionIds == null) {
            throw new IllegalArgumentException("positionIds must be given");
        }
        if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be a positive number, got " + layerNormEpsilon);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation_function must be given");
        }
    }

    /** The MLP's nonlinearity. */
    public enum Activation {
        /** HuggingFace {@code "gelu_new"}: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, OpenAI's GELU. */
        GELU_TANH,
        /** HuggingFace {@code "gelu"}: the exact {@code 0.5 x (1 + erf(x / sqrt 2))}. */
        GELU_ERF;

        /**
         * Reads HuggingFace's {@code activation_function}. {@code gelu_pytorch_tanh} computes the same
         * function as {@code gelu_new} (in one fused kernel), so it maps to {@link #GELU_TANH} too.
         */
        public static Activation fromHuggingFace(String name) {
            switch (name) {
                case "gelu_new":
                case "gelu_pytorch_tanh":
                    return GELU_TANH;
                case "gelu":
                    return GELU_ERF;
                default:
                    throw new IllegalArgumentException("activation_function '" + name
                            + "' is not supported: expected gelu_new, gelu_pytorch_tanh or gelu");
            }
        }
    }
}
