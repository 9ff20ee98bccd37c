package net.gpt2j.kit.check;

import java.util.Arrays;
import net.gpt2j.kit.BeamResult;

/**
 * A golden-free check of HF's {@code no_repeat_ngram_size = n}: at every generated position
 * {@code p}, the n-gram ending at {@code p} must not end at any earlier position {@code q < p} of
 * the same row, prompt included (HF bans against the whole {@code input_ids}, not just the new
 * tokens). Recorded greedy and beam outputs rarely repeat a prompt n-gram, so a port whose ban
 * ignores the prompt passes them; run on a prompt the model wants to continue with repeats, this
 * check catches it.
 *
 * <p>A row ends at its first generated end token (that token is checked: HF bans it like any
 * other); what follows is padding, which repeats by nature and is not generated.
 */
public final class NgramInvariantCheck {

    /** What the row ends at when the request gave no {@code eos_token_id}: HF's GPT-2 default, 50256. */
    public static final int GPT2_END = net.gpt2j.format.Gpt2Constants.END_OF_TEXT;

    private NgramInvariantCheck() {}

    /** One greedy row: prompt + new tokens, {@code maxNewTokens} of them unless it ended at {@code eos}. */
    public static CheckResult greedy(int[] prompt, int[] output, int n, int maxNewTokens, int eos) {
        String what = "greedy with no_repeat_ngram_size=" + n + " after a " + prompt.length + "-token adversarial prompt";
        String shape = shape(prompt, output, maxNewTokens, eos, true);
        if (shape != null) {
            return CheckResult.notOk("ngram_invariant NOT OK: " + what + ": " + shape);
        }
        int end = end(output, prompt.length, eos);
        String repeat = firstRepeat(output, prompt.length, end, n);
        if (repeat != null) {
            return CheckResult.notOk("ngram_invariant NOT OK: " + what + ": " + repeat + tokens(output, prompt.length, end));
        }
        return CheckResult.ok("ngram_invariant OK: " + what + ": " + (end - prompt.length) + " new tokens, no " + n
                + "-gram of the row repeated");
    }

    /** Every returned beam hypothesis, each up to its end token (or the whole row), padding ignored. */
    public static CheckResult beam(int[] prompt, BeamResult result, int n, int maxNewTokens, int numReturnSequences, int eos) {
        String what = "beam with no_repeat_ngram_size=" + n + " after a " + prompt.length + "-token adversarial prompt";
        int[][] seqs = result.sequences();
        if (seqs.length != numReturnSequences) {
            return CheckResult.notOk("ngram_invariant NOT OK: " + what + ": expected " + numReturnSequences
                    + " sequences, the port returned " + seqs.length);
        }
        int total = 0;
        for (int s = 0; s < seqs.length; s++) {
            String label = what + ", sequence " + s;
            String shape = shape(prompt, seqs[s], maxNewTokens, eos, false);
            if (shape != null) {
                return CheckResult.notOk("ngram_invariant NOT OK: " + label + ": " + shape);
            }
            int end = end(seqs[s], prompt.length, eos);
            String repeat = firstRepeat(seqs[s], prompt.length, end, n);
            if (repeat != null) {
                return CheckResult.notOk("ngram_invariant NOT OK: " + label + ": " + repeat + tokens(seqs[s], prompt.length, end));
            }
            total += end - prompt.length;
        }
        return CheckResult.ok("ngram_invariant OK: " + what + ": " + seqs.length + " sequences, " + total
                + " new tokens in all, no " + n + "-gram repeated within its row");
    }

    /**
     * The first violation in {@code row[promptLength, end)}, worded
     * {@code step s (position p) generated token X completing the n-gram [...] that already ends at position q (in the prompt)},
     * with {@code q} the earliest earlier end of that n-gram; null when there is none.
     */
    static String firstRepeat(int[] row, int promptLength, int end, int n) {
        for (int p = Math.max(promptLength, n - 1); p < end; p++) {
            for (int q = n - 1; q < p; q++) {
                if (sameGram(row, p, q, n)) {
                    int[] gram = Arrays.copyOfRange(row, p - n + 1, p + 1);
                    return "step " + (p - promptLength) + " (position " + p + ") generated token " + row[p]
                            + " completing the n-gram " + Arrays.toString(gram) + " that already ends at position " + q
                            + (q < promptLength ? " (in the prompt)" : " (generated)");
                }
            }
        }
        return null;
    }

    private static boolean sameGram(int[] row, int p, int q, int n) {
        for (int k = 0; k < n; k++) {
            if (row[p - k] != row[q - k]) {
                return false;
            }
        }
        return true;
    }

    /** One past the row's last generated token: its first generated end token included, padding after it excluded. */
    private static int end(int[] row, int promptLength, int eos) {
        for (int p = promptLength; p < row.length; p++) {
            if (row[p] == eos) {
                return p + 1;
            }
        }
        return row.length;
    }

    /** Why the row cannot be checked (not prompt + new tokens), or null. */
    private static String shape(int[] prompt, int[] row, int maxNewTokens, int eos, boolean fullLengthUnlessEnded) {
        if (row.length < prompt.length || !Arrays.equals(row, 0, prompt.length, prompt, 0, prompt.length)) {
            return "the output does not start with the prompt (outputs are prompt + new tokens); prompt ends "
                    + Fmt.ids(prompt, Math.max(0, prompt.length - 8), 8) + ", output " + Fmt.ids(row, 0, 12);
        }
        int generated = row.length - prompt.length;
        if (generated > maxNewTokens) {
            return generated + " new tokens, more than max_new_tokens=" + maxNewTokens;
        }
        if (generated == 0) {
            return "no new token generated";
        }
        int end = end(row, prompt.length, eos);
        if (fullLengthUnlessEnded && end == row.length && row[end - 1] != eos && generated < maxNewTokens) {
            return "only " + generated + " new tokens of max_new_tokens=" + maxNewTokens + " and no end token " + eos;
        }
        return null;
    }

    private static String tokens(int[] row, int promptLength, int end) {
        int from = Math.max(0, promptLength - 8);
        return "\n  prompt tail (from position " + from + "): " + Fmt.ids(Arrays.copyOf(row, promptLength), from, 8)
                + "\n  new tokens: " + Fmt.ids(Arrays.copyOf(row, end), promptLength, 32);
    }
}
