package net.gpt2j.runtime.generate;

/** HF's {@code early_stopping} for beam search: {@code False}, {@code True} or {@code "never"}. */
public enum EarlyStopping {
    /** HF {@code False} (default): stop when no running beam, scored at its current length, beats the worst finished one. */
    HEURISTIC,
    /** HF {@code True}: stop as soon as {@code num_beams} hypotheses are finished. */
    WHEN_BEAMS_FULL,
    /** HF {@code "never"}: as the heuristic, but a positive length penalty is bounded at the maximum length. */
    NEVER;

    /** Reads HF's spellings: {@code false}, {@code true} or {@code never} (any case). */
    public static EarlyStopping parse(String text) {
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "false":
                return HEURISTIC;
            case "true":
                return WHEN_BEAMS_FULL;
            case "never":
                return NEVER;
            default:
                throw new InvalidGenerationSetting("early_stopping must be false, true or never, got '" + text + "'", "early_stopping");
        }
    }
}
