package net.gpt2j.converter.mapping;

/** The tensor naming and layout a converted model is written in. */
public enum Layout {
    /**
     * This project's runtime: Q/K/V split out of {@code c_attn}, every matrix {@code [out, in]} (what
     * a {@code linear} op takes), LM head tied to {@code wte}. Names are documented in
     * {@link WeightMapping}.
     */
    RUNTIME,
    /**
     * HuggingFace's {@code GPT2LMHeadModel} as the hub's {@code gpt2} checkpoint stores it: no
     * {@code transformer.} prefix, Conv1D's {@code [in, out]} layout, fused {@code c_attn}, tied LM head.
     */
    HF;

    public static Layout parse(String text) {
        for (Layout l : values()) {
            if (l.name().equalsIgnoreCase(text)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown layout '" + text + "': expected runtime or hf");
    }
}
