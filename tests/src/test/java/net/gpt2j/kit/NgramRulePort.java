package net.gpt2j.kit;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * A port with no model: it generates by a tiny deterministic rule that loves repeats, "repeat the
 * last token, else the next id up", skipping what the no-repeat ban forbids. With
 * {@code banSeesPrompt} the ban is HF's (n-grams of prompt + output); without it the ban only
 * knows n-grams made entirely of generated tokens, the mistake the invariant cases must catch.
 *
 * <p>Beam search returns {@code numReturnSequences} rows: row 0 follows the rule from the last
 * token; row s &gt; 0 starts s ids higher and ends with the end token (the request's, else GPT-2's
 * 50256) after s + 1 steps, right-padded with the pad id like HF's finished hypotheses.
 */
final class NgramRulePort implements Gpt2Port {

    private static final int VOCAB = 50257;
    private static final int GPT2_END = 50256;

    private final boolean banSeesPrompt;

    NgramRulePort(boolean banSeesPrompt) {
        this.banSeesPrompt = banSeesPrompt;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GREEDY, Capability.BEAM, Capability.BEAM_LEGACY_SCORING, Capability.NO_REPEAT_NGRAM,
                Capability.EOS_STOP);
    }

    @Override
    public int[][] greedy(GreedyRequest r) {
        int[][] out = new int[r.ids().length][];
        for (int row = 0; row < out.length; row++) {
            out[row] = generate(r.ids()[row], r.maxNewTokens(), r.noRepeatNgramSize().orElse(0), 0, -1, -1);
        }
        return out;
    }

    @Override
    public BeamResult beam(BeamRequest r) {
        int eos = r.eosTokenId().orElse(GPT2_END);
        int full = r.ids().length + r.maxNewTokens();
        int[][] seqs = new int[r.numReturnSequences()][];
        double[] scores = new double[seqs.length];
        for (int s = 0; s < seqs.length; s++) {
            int[] row = generate(r.ids(), r.maxNewTokens(), r.noRepeatNgramSize().orElse(0), s, s == 0 ? -1 : s + 1, eos);
            seqs[s] = Arrays.copyOf(row, full);
            Arrays.fill(seqs[s], row.length, full, r.padTokenId());
            scores[s] = -(s + 1);
        }
        return new BeamResult(seqs, scores);
    }

    /**
     * @param offset  how many ids above the last token the first candidate is
     * @param endStep the step at which the end token is tried first and, if allowed, ends the row (-1: never)
     */
    private int[] generate(int[] prompt, int maxNew, int n, int offset, int endStep, int eos) {
        int[] row = Arrays.copyOf(prompt, prompt.length + maxNew);
        int len = prompt.length;
        for (int step = 0; step < maxNew; step++) {
            if (step == endStep && !banned(row, len, prompt.length, n, eos)) {
                row[len++] = eos;
                break;
            }
            int candidate = (row[len - 1] + (step == 0 ? offset : 0)) % VOCAB;
            while (banned(row, len, prompt.length, n, candidate)) {
                candidate = (candidate + 1) % VOCAB;
            }
            row[len++] = candidate;
        }
        return Arrays.copyOf(row, len);
    }

    /** Whether appending {@code t} to {@code row[0, len)} would complete an n-gram the ban knows. */
    private boolean banned(int[] row, int len, int promptLength, int n, int t) {
        if (n <= 0 || len < n - 1) {
            return false;
        }
        // the n-gram would be row[len-n+1, len) + t; compare with every earlier n-gram ending at q
        int firstEnd = banSeesPrompt ? n - 1 : promptLength + n - 1;
        for (int q = Math.max(firstEnd, n - 1); q < len; q++) {
            boolean same = row[q] == t;
            for (int k = 1; same && k < n; k++) {
                same = row[q - k] == row[len - k];
            }
            if (same) {
                return true;
            }
        }
        return false;
    }
}
