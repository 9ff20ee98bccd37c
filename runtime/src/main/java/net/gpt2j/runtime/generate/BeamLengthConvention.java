package net.gpt2j.runtime.generate;

/**
 * The one place where HuggingFace versions differ in beam search: the length a finished
 * hypothesis' summed log-probability is divided by ({@code ** length_penalty}).
 *
 * <p>4.28's {@code BeamHypotheses.add} divides by the stored hypothesis' length, which includes the
 * prompt and, for a hypothesis ended by end-of-sequence, excludes that token (it is appended only in
 * {@code finalize}). 4.57's vectorised {@code _beam_search} divides by
 * {@code cur_len + 1 - decoder_prompt_len}: the generated tokens, the end-of-sequence token included.
 * The stop heuristic and {@code early_stopping="never"}'s bound use the same lengths in each version,
 * so they call this too.
 */
public enum BeamLengthConvention {
    HF_4_28 {
        @Override
        public int scoredLength(int promptLength, int generatedLength, boolean endsWithEos) {
            return promptLength + generatedLength - (endsWithEos ? 1 : 0);
        }
    },
    HF_4_57 {
        @Override
        public int scoredLength(int promptLength, int generatedLength, boolean endsWithEos) {
            return generatedLength;
        }
    };

    /**
     * @param generatedLength tokens generated after the prompt, an ending end-of-sequence token included
     */
    public abstract int scoredLength(int promptLength, int generatedLength, boolean endsWithEos);

    /**
     * The convention of a HuggingFace version string such as {@code 4.28.1} or {@code 4.57.6}. Only
     * the releases the golden files were recorded with are mapped: 4.28.x and the vectorised beam
     * search (4.50 onwards). Versions in between scored hypotheses yet another way (the generated
     * length without the end-of-sequence token) and are refused rather than guessed.
     */
    public static BeamLengthConvention forHfVersion(String version) {
        String[] parts = version.split("[.+]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            if (major == 4 && minor == 28) {
                return HF_4_28;
            }
            if (major > 4 || (major == 4 && minor >= 50)) {
                return HF_4_57;
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a HuggingFace version: '" + version + "'", e);
        }
        throw new IllegalArgumentException("HuggingFace version " + version
                + " has no verified beam length convention (known: 4.28.x, 4.50 and later)");
    }
}
