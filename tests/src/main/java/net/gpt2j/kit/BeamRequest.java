package net.gpt2j.kit;

import java.util.OptionalInt;
import net.gpt2j.golden.HfBeamScoring;

/**
 * A beam-search {@code generate} call on one unpadded prompt. {@code hfVersion} is the
 * {@code recorded_with.transformers} string of the golden: transformers changed how finished
 * hypotheses are length-normalised in 4.36 (4.28 divides the summed log-probability by
 * {@code (prompt + generated) ** length_penalty}, 4.57 by {@code generated ** length_penalty}), and a
 * faithful port reproduces the one asked for ({@link #scoring()}). An empty {@code eosTokenIds} means HF's
 * GPT-2 default (50256), several mean any of them ends a hypothesis; {@code minNewTokens} 0 means unset.
 */
public record BeamRequest(
        int[] ids,
        int maxNewTokens,
        int numBeams,
        int numReturnSequences,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        OptionalInt noRepeatNgramSize,
        int[] eosTokenIds,
        int padTokenId,
        String hfVersion,
        int minNewTokens) {

    public BeamRequest {
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
    }

    /** The request as kit 0.1 made it: one optional end token, no {@code min_new_tokens}. */
    public BeamRequest(int[] ids, int maxNewTokens, int numBeams, int numReturnSequences, double lengthPenalty,
            EarlyStopping earlyStopping, OptionalInt noRepeatNgramSize, OptionalInt eosTokenId, int padTokenId, String hfVersion) {
        this(ids, maxNewTokens, numBeams, numReturnSequences, lengthPenalty, earlyStopping, noRepeatNgramSize,
                GreedyRequest.ids(eosTokenId), padTokenId, hfVersion, 0);
    }

    /** The one explicit end token, or empty for HF's default; several only reach ports declaring {@link Capability#EOS_TOKEN_LIST}. */
    public OptionalInt eosTokenId() {
        return GreedyRequest.single(eosTokenIds);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    /** How {@link #hfVersion()} length-normalises finished hypotheses, by the project's one rule ({@link HfBeamScoring}). */
    public HfBeamScoring scoring() {
        return HfBeamScoring.forVersion(hfVersion);
    }
}
