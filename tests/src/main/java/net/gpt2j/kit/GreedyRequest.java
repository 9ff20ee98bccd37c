package net.gpt2j.kit;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A greedy {@code generate} call. {@code ids} is a batch ({@code [rows][prompt length]}); unbatched
 * cases have one row and an all-ones mask. Optional settings are empty where the golden did not set
 * them; an empty {@code eosTokenId} means HF's GPT-2 default (50256) was in force.
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
        OptionalInt eosTokenId,
        int padTokenId) {

    /** An unbatched request with no processors. */
    public static GreedyRequest of(int[] prompt, int maxNewTokens) {
        return new GreedyRequest(new int[][] {prompt}, new int[][] {ones(prompt.length)}, maxNewTokens,
                OptionalInt.empty(), OptionalDouble.empty(), OptionalInt.empty(), net.gpt2j.format.Gpt2Constants.END_OF_TEXT);
    }

    public boolean isBatch() {
        return ids.length > 1;
    }

    static int[] ones(int n) {
        int[] m = new int[n];
        java.util.Arrays.fill(m, 1);
        return m;
    }
}
