package net.gpt2j.runtime.generate;

import java.util.List;

/**
 * The last position's logits of every row, left where the model computed them (on its device) until
 * a decision needs them: greedy decoding without processors asks only for each row's best token and
 * its margin ({@link #top2}); beam search asks only for each prompt's best candidates
 * ({@link #beamCandidates}); anything else that rewrites scores copies the rows ({@link #toHost}).
 * Valid until the next call on the source that returned it (a {@link LogitsSource#reorder} included)
 * or on this object.
 */
public interface NextTokenLogits {

    /** Each row's argmax (the first index on ties, as {@code torch.argmax}) and best-minus-second score. */
    record Top2(int[] argmax, float[] gap) {}

    /** Every row, {@code [rows][vocab]}, as new arrays the caller may rewrite. */
    float[][] toHost();

    /** Each row's best token and its margin, computed where the logits are. */
    Top2 top2();

    /**
     * One step of HF's beam search up to its {@code topk}: float32 {@code log_softmax} of each row,
     * then {@code processors} (on log-probabilities, in order), plus each row's running score; then,
     * per prompt (each {@code numBeams} consecutive rows), the best {@code count} (beam, token) pairs,
     * best first, equal scores by ascending flattened index ({@link TopCandidates}).
     *
     * @param idsSoFar {@code [rows][length]}: every id of each row so far, for the processors
     * @param runningScores {@code [rows]}: each beam's accumulated score
     * @return {@code [prompts][count]}
     */
    default BeamCandidate[][] beamCandidates(int[][] idsSoFar, List<LogitsProcessor> processors,
            float[] runningScores, int numBeams, int count) {
        return HostLogits.beamCandidates(toHost(), idsSoFar, processors, runningScores, numBeams, count);
    }

    /**
     * These logits with each row repeated {@code times} in place ({@code repeat_interleave}): a
     * prompt's row for each of its beams. Ends this object's validity.
     */
    default NextTokenLogits repeatEachRow(int times) {
        return new HostLogits(HostLogits.repeatEachRow(toHost(), times));
    }

    /** Logits already on the host (a plain-Java source, or a scripted one in tests). */
    static NextTokenLogits onHost(float[][] rows) {
        return new HostLogits(rows);
    }
}
