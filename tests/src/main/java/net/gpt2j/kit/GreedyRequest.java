package net.gpt2j.kit;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A greedy {@code generate} call. {@code ids} is a batch ({@code [rows][prompt length]}); unbatched
 * cases have one row and an all-ones mask. Optional settings are empty where the golden did not set
 * them; an empty {@code eosTokenIds} means HF's GPT-2 default (50256) was in force, several ids mean
 * generation stops at any of them ({@link Capability#EOS_TOKEN_LIST}). {@code minNewTokens} (HF's
 * {@code min_new_tokens}, {@link Capability#MIN_NEW_TOKENS}) bans the end tokens until that many new
 * tokens exist; 0 means unset.
 *
 * <p>The answer is prompt + new tokens per row, exactly as HF returns it: shorter than
 * {@code prompt + maxNewTokens} when every row ended at the end token, finished rows padded with
 * {@code padTokenId}.
 */
public record GreedyRequest(
        int[][] ids,
        int[][] attentionMask,
        int maxNewTokens,
        OptionalInt noRepeatNgramSize,
        OptionalDouble repetitionPenalty,
        int[] eosTokenIds,
        int padTokenId,
        int minNewTokens) {

    public GreedyRequest {
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
    }

    /** The request as kit 0.1 made it: one optional end token, no {@code min_new_tokens}. */
    public GreedyRequest(int[][] ids, int[][] attentionMask, int maxNewTokens, OptionalInt noRepeatNgramSize,
            OptionalDouble repetitionPenalty, OptionalInt eosTokenId, int padTokenId) {
        this(ids, attentionMask, maxNewTokens, noRepeatNgramSize, repetitionPenalty, ids(eosTokenId), padTokenId, 0);
    }

    /** An unbatched request with no processors. */
    public static GreedyRequest of(int[] prompt, int maxNewTokens) {
        return new GreedyRequest(new int[][] {prompt}, new int[][] {ones(prompt.length)}, maxNewTokens,
                OptionalInt.empty(), OptionalDouble.empty(), new int[0], net.gpt2j.format.Gpt2Constants.END_OF_TEXT, 0);
    }

    /**
     * The one explicit end token, or empty for HF's default. Only requests for ports declaring
     * {@link Capability#EOS_TOKEN_LIST} carry several; asking this of one is a programming error.
     */
    public OptionalInt eosTokenId() {
        return single(eosTokenIds);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    public boolean isBatch() {
        return ids.length > 1;
    }

    static int[] ones(int n) {
        int[] m = new int[n];
        Arrays.fill(m, 1);
        return m;
    }

    static int[] ids(OptionalInt eos) {
        return eos.isPresent() ? new int[] {eos.getAsInt()} : new int[0];
    }

    static OptionalInt single(int[] eos) {
        if (eos.length > 1) {
            throw new IllegalStateException("this request stops at any of " + eos.length + " end tokens "
                    + Arrays.toString(eos) + "; read eosTokenIds() (the kit sends lists only to ports declaring EOS_TOKEN_LIST)");
        }
        return eos.length == 0 ? OptionalInt.empty() : OptionalInt.of(eos[0]);
    }
}
