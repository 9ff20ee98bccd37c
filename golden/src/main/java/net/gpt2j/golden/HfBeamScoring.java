package net.gpt2j.golden;

/**
 * The one rule from a HuggingFace {@code transformers} version to how its beam search
 * length-normalises a finished hypothesis: its summed log-probability is divided by
 * {@code length ** length_penalty}, and which length it is changed twice.
 *
 * <table>
 * <caption>transformers versions and the length a finished hypothesis is divided by</caption>
 * <tr><th>versions</th><th>length</th><th>where it changed</th></tr>
 * <tr><td>up to 4.35.x</td><td>prompt + generated, the end token not counted
 *     ({@link #PROMPT_PLUS_GENERATED})</td><td>{@code BeamHypotheses.add} divides by {@code hyp.shape[-1]}</td></tr>
 * <tr><td>4.36.0 to 4.48.x</td><td>generated only, the end token not counted
 *     ({@link #GENERATED_WITHOUT_END_TOKEN})</td><td>PR #27351 "Fix beam score calculation issue for
 *     decoder-only models" (merged November 2023, flagged breaking) and its follow-up #27808 (December
 *     2023): {@code add(..., generated_len=cur_len - decoder_prompt_len)}; first release 4.36.0</td></tr>
 * <tr><td>4.50 and later</td><td>generated only, the end token counted ({@link #GENERATED})</td>
 *     <td>PR #35802 "vectorized beam search" (2025): {@code topk_log_probs / ((cur_len + 1 -
 *     decoder_prompt_len) ** length_penalty)}; its notes tell users of the old scorer to pin {@code <=4.48}</td></tr>
 * </table>
 *
 * 4.49 is refused: whether it shipped #35802 was not settled here. Read from the pull requests and
 * the code, not from recordings: the goldens here were recorded with 4.28.1, 4.57.6 and 5.18.0, so
 * only the first and last rows are confirmed by data. The difference between the last two rows shows
 * only for hypotheses ended by the end token.
 */
public enum HfBeamScoring {
    /** Divide by {@code (prompt + generated) ** length_penalty}, the end token not counted: before 4.36. */
    PROMPT_PLUS_GENERATED,
    /** Divide by {@code generated ** length_penalty}, the end token not counted: 4.36 to 4.48. */
    GENERATED_WITHOUT_END_TOKEN,
    /** Divide by {@code generated ** length_penalty}, the end token counted: 4.50 and later. */
    GENERATED;

    /**
     * The scoring of a version string such as {@code 4.28.1}, {@code 4.57.6}, {@code 5.18.0},
     * {@code 4.36.0.dev0} or {@code 4.28.1+recon.50f82e128}; anything that does not start with two
     * numbers is refused, and so is 4.49.
     */
    public static HfBeamScoring forVersion(String version) {
        int major;
        int minor;
        try {
            String[] parts = version.trim().split("[.+]");
            major = Integer.parseInt(parts[0]);
            minor = Integer.parseInt(parts[1].replaceAll("\\D.*", ""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a HuggingFace transformers version: '" + version
                    + "' (expected e.g. 4.28.1 or 4.57.6)", e);
        }
        if (major < 4 || (major == 4 && minor < 36)) {
            return PROMPT_PLUS_GENERATED;
        }
        if (major == 4 && minor < 49) {
            return GENERATED_WITHOUT_END_TOKEN;
        }
        if (major == 4 && minor == 49) {
            throw new IllegalArgumentException("transformers " + version + ": its beam scoring is not known here (4.48 divides"
                    + " by the generated length without the end token, 4.50 with it; which one 4.49 shipped was not settled)");
        }
        return GENERATED;
    }
}
