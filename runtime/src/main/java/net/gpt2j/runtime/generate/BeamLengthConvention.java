package net.gpt2j.runtime.generate;

import net.gpt2j.golden.HfBeamScoring;

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
     * The convention of a HuggingFace version string such as {@code 4.28.1} or {@code 4.57.6}, by the
     * project's one rule ({@link HfBeamScoring}, shared with the kit): before 4.36 {@link #HF_4_28},
     * from 4.50 {@link #HF_4_57}. Versions 4.36 to 4.48 divide by the generated length without the
     * end token, which this runtime does not model, so they are refused rather than guessed.
     */
    public static BeamLengthConvention forHfVersion(String version) {
        HfBeamScoring scoring = HfBeamScoring.forVersion(version);
        return switch (scoring) {
            case PROMPT_PLUS_GENERATED -> HF_4_28;
            case GENERATED -> HF_4_57;
            case GENERATED_WITHOUT_END_TOKEN -> throw new IllegalArgumentException("HuggingFace version " + version
                    + " divides beam scores by the generated length without the end token, which the runtime does not"
                    + " model (it has transformers before 4.36 and from 4.50)");
        };
    }
}
