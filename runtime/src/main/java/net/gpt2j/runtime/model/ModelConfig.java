package net.gpt2j.runtime.model;

/**
 * The two settings of HuggingFace's {@code GPT2Config} that change GPT-2's arithmetic beyond the
 * five hparams: {@code layer_norm_epsilon} and {@code activation_function}. OpenAI's checkpoints use
 * the defaults ({@link #DEFAULT}).
 */
public record ModelConfig(double layerNormEpsilon, Activation activation) {

    /** OpenAI's GPT-2 and HuggingFace's defaults: eps 1e-5 and the tanh GELU. */
    public static final ModelConfig DEFAULT = new ModelConfig(1e-5, Activation.GELU_TANH);

    public ModelConfig {
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
