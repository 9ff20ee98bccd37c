package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The processors applied sparsely (gather the touched ids, rewrite, scatter back) give the rows the
 * dense chain gives, bit for bit; and the device {@code topk}'s candidates are put in the host's order.
 */
class ProcessorEditsTest {

    private static final int VOCAB = 40;

    @Test
    void gatherRewriteScatterEqualsTheDenseChainBitForBit() {
        SplittableRandom random = new SplittableRandom(13);
        int[][] ids = new int[6][];
        float[][] rows = new float[6][VOCAB];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = random.ints(5 + r, 0, 8).toArray(); // few distinct ids: repeats and n-grams to ban
            for (int v = 0; v < VOCAB; v++) {
                rows[r][v] = (float) (random.nextDouble() * 8 - 6);
            }
        }
        ids[2] = new int[] {1, 2, 3}; // a row no n-gram ban reaches
        List<List<LogitsProcessor>> chains = List.of(
                List.of(new RepetitionPenaltyProcessor(1.3)),
                List.of(new NoRepeatNGramProcessor(2)),
                List.of(new MinNewTokensProcessor(6, 2, 3)),
                List.of(new RepetitionPenaltyProcessor(0.7), new NoRepeatNGramProcessor(2), new MinNewTokensProcessor(6, 2, 3)));
        for (List<LogitsProcessor> chain : chains) {
            float[][] dense = TokenByTokenDecoder.copyRows(rows);
            for (LogitsProcessor p : chain) {
                p.process(ids, dense);
            }
            ProcessorEdits edits = ProcessorEdits.of(chain, ids, VOCAB).orElseThrow();
            assertThat(sparse(rows, edits)).as("%s", chain).isDeepEqualTo(dense);
        }
    }

    @Test
    void aRowWithNothingToChangeGetsFillersThatWriteBackWhatTheyRead() {
        int[][] ids = {{5, 6, 5}, {1, 2}}; // n-gram 2: row 0 bans 6; row 1 bans nothing
        ProcessorEdits edits = ProcessorEdits.of(List.of(new NoRepeatNGramProcessor(2)), ids, VOCAB).orElseThrow();
        assertThat(edits.width()).isEqualTo(1);
        assertThat(edits.flatIndex()).containsExactly(6, 0);
        float[] values = {0.5f, 0.25f};
        edits.apply(values);
        assertThat(values).containsExactly(Float.NEGATIVE_INFINITY, 0.25f);
    }

    @Test
    void aCallersOwnProcessorIsNotSparse() {
        LogitsProcessor own = (ids, scores) -> {};
        assertThat(ProcessorEdits.of(List.of(new NoRepeatNGramProcessor(2), own), new int[][] {{1}}, VOCAB)).isEmpty();
        assertThat(ProcessorEdits.of(List.of(), new int[][] {{1}}, VOCAB).orElseThrow().isEmpty()).isTrue();
    }

    @Test
    void aProcessorWritingAnIdItDidNotDeclareIsRefusedByName() {
        SparseLogitsProcessor liar = new SparseLogitsProcessor() {
            @Override
            public int[] touchedIds(int[] idsSoFar, int vocabSize) {
                return new int[] {1};
            }

            @Override
            public void processRow(int[] idsSoFar, RowScores scores) {
                scores.set(2, 0f);
            }
        };
        ProcessorEdits edits = ProcessorEdits.of(List.of(liar), new int[][] {{0}}, VOCAB).orElseThrow();
        assertThatThrownBy(() -> edits.apply(new float[] {1f})).hasMessageContaining("id 2");
    }

    @Test
    void topkCandidatesTakeTheHostsOrderAmongEqualScores() {
        // a topk of 5 over 2 beams of 10 tokens, as torch might order ties
        float[] values = {4f, 2f, 2f, 2f, 1f};
        long[] flat = {13, 17, 2, 9, 0};
        BeamCandidate[] out = TopCandidates.fromTopK(values, flat, 0, 5, 4, 6, 10);
        assertThat(out).containsExactly(new BeamCandidate(4f, 3, 7), new BeamCandidate(2f, 2, 6),
                new BeamCandidate(2f, 9, 6), new BeamCandidate(2f, 7, 7));
    }

    @Test
    void aTieAtTheEdgeOrANanLeavesTheChoiceToTheHost() {
        assertThat(TopCandidates.fromTopK(new float[] {3f, 2f, 2f}, new long[] {0, 1, 2}, 0, 3, 2, 0, 10)).isNull();
        assertThat(TopCandidates.fromTopK(new float[] {Float.NaN, 2f, 1f}, new long[] {0, 1, 2}, 0, 3, 2, 0, 10)).isNull();
        // every candidate of the prompt taken: no edge to doubt
        assertThat(TopCandidates.fromTopK(new float[] {2f, 2f}, new long[] {1, 0}, 0, 2, 2, 0, 1))
                .extracting(BeamCandidate::sourceRow).containsExactly(0, 1);
    }

    /** What the device path does, on host arrays: gather the touched scores, apply, scatter. */
    private static float[][] sparse(float[][] rows, ProcessorEdits edits) {
        long[] index = edits.flatIndex();
        int width = edits.width();
        float[] values = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            values[i] = rows[i / width][(int) index[i]];
        }
        edits.apply(values);
        float[][] out = TokenByTokenDecoder.copyRows(rows);
        for (int i = 0; i < index.length; i++) {
            out[i / width][(int) index[i]] = values[i];
        }
        return out;
    }
}
