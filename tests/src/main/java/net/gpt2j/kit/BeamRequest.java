package net.gpt2j.kit;

import java.util.OptionalInt;
import net.gpt2j.golden.HfBeamScoring;

/**
 * A beam-search {@code generate} call on one unpadded prompt. {@code hfVersion} is the
 * {@code recorded_with.transformers} string of the golden: transformers changed how finished
 * hypotheses are length-normalised in 4.36 (4.28 divides the summed log-probability by
 * {@code (prompt + generated) ** length_penalty}, 4.57 by {@code generated ** length_penalty}), and a
 * faithful port reproduces the one asked for. An empty {@code eosTokenId} means HF's GPT-2 default (50256).
 */
public record BeamRequest(
        int[] ids,
        int maxNewTokens,
        int numBeams,
        int numReturnSequences,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        OptionalInt noRepeatNgramSize,
        OptionalInt eosTokenId,
        int padTokenId,
        String hfVersion) {

    /** How {@link #hfVersion()} length-normalises finished hypotheses, by the project's one rule ({@link HfBeamScoring}). */
    public HfBeamScoring scoring() {
        return HfBeamScoring.forVersion(hfVersion);
    }
}
