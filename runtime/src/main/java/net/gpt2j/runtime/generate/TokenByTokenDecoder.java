package net.gpt2j.runtime.generate;

import java.util.Arrays;
import java.util.List;

/**
 * The loop shared by greedy search and sampling, as HF's {@code _sample}: process the last logits,
 * choose one token per row, and once a row has emitted end-of-sequence keep appending padding
 * ({@code next * unfinished + pad * (1 - unfinished)}) until every row is done or the length limit.
 */
final class TokenByTokenDecoder {

    /** Picks one row's next token from its processed scores. */
    interface Chooser {
        int choose(int row, int step, float[] processedScores);

        /**
         * True for greedy search: with no processors to run, the decoder then takes each row's argmax
         * where the logits are ({@link NextTokenLogits#top2}) and reports it to {@link #argmaxTaken}
         * instead of copying rows to call {@link #choose}.
         */
        default boolean isArgmax() {
            return false;
        }

        /** A row's token taken on the model's side, with its margin over the runner-up. */
        default void argmaxTaken(int row, int step, int token, float gap) {}
    }

    private TokenByTokenDecoder() {}

    static int[][] run(LogitsSource source, PromptBatch prompts, GenerationConfig config, Chooser chooser,
            TokenListener listener) {
        prompts.requireIdsBelow(source.vocabSize());
        int rows = prompts.rows();
        int promptLength = prompts.length();
        int newTokens = config.newTokensFor(promptLength, source.maxSequenceLength());
        List<LogitsProcessor> processors = config.processors(promptLength);
        int pad = config.padTokenId();

        int[][] ids = new int[rows][];
        for (int r = 0; r < rows; r++) {
            ids[r] = prompts.inputIds()[r].clone();
        }
        boolean[] finished = new boolean[rows];
        boolean onDevice = processors.isEmpty() && chooser.isArgmax();
        NextTokenLogits logits = source.prefillLogits(prompts.inputIds(), prompts.attentionMask());
        for (int step = 0; step < newTokens; step++) {
            NextTokenLogits.Top2 top = null;
            float[][] scores = null;
            if (onDevice) {
                top = logits.top2();
            } else {
                scores = logits.toHost();
                for (LogitsProcessor p : processors) {
                    p.process(ids, scores);
                }
            }
            int[] next = new int[rows];
            boolean allFinished = true;
            for (int r = 0; r < rows; r++) {
                if (finished[r]) {
                    next[r] = pad;
                } else {
                    if (onDevice) {
                        next[r] = top.argmax()[r];
                        chooser.argmaxTaken(r, step, next[r], top.gap()[r]);
                    } else {
                        next[r] = chooser.choose(r, step, scores[r]);
                    }
                    listener.decided(r, step, next[r]);
                    if (config.isEos(next[r])) {
                        finished[r] = true;
                    }
                }
                ids[r] = append(ids[r], next[r]);
                allFinished &= finished[r];
            }
            if (allFinished || step == newTokens - 1) {
                break;
            }
            logits = source.stepLogits(next);
        }
        return ids;
    }

    static float[][] copyRows(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r].clone();
        }
        return out;
    }

    static int[] append(int[] ids, int token) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = token;
        return out;
    }
}
