package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import net.gpt2j.runtime.generate.BeamCandidate;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.BeamResult;
import net.gpt2j.runtime.generate.BeamSearch;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.LogitsProcessor;
import net.gpt2j.runtime.generate.LogitsSource;
import net.gpt2j.runtime.generate.MinNewTokensProcessor;
import net.gpt2j.runtime.generate.NextTokenLogits;
import net.gpt2j.runtime.generate.NoRepeatNGramProcessor;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.generate.RepetitionPenaltyProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Beam search's step on the device ({@link DeviceBeamStep}) selects the candidates the host path
 * ({@code NextTokenLogits.onHost}) selects from the same logits: the same tokens, beams and order,
 * processors included, ties broken by the host's rule. Scores agree to a few float32 ulps, not
 * bit for bit: the device's {@code log_softmax} is torch's kernel (HF's own, bit for bit on one
 * machine), the host's is {@code ScoreMath}'s, which sums in another order.
 */
class BeamOnTheDeviceTest {

    private static final int[][] PROMPTS = {
        {6109, 3626, 6100, 345, 6109, 3626}, {17, 17, 17, 17, 17, 17}, {5, 9, 5, 9, 5, 9},
        {40000, 2, 40000, 3, 40000, 2}, {11, 12, 13, 14, 15, 11}, {300, 301, 300, 301, 300, 302},
    };
    private static final int BEAMS = 3;
    private static final float[] RUNNING = {0f, -0.75f, -1.5f, -0.25f, -1e9f, -3f};

    private static Gpt2Model model;

    @BeforeAll
    static void load() {
        model = GoldenFixture.of("odd").load(ModelConfig.DEFAULT);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void withoutProcessorsTheDevicePicksTheHostsCandidates() {
        assertDeviceMatchesHost(List.of());
    }

    @Test
    void withEachSparseProcessorAndAllTogetherTheDevicePicksTheHostsCandidates() {
        int eos = hostCandidates(List.of())[0][0].token(); // banning the best token makes the ban matter
        LogitsProcessor penalty = new RepetitionPenaltyProcessor(1.7);
        LogitsProcessor ngram = new NoRepeatNGramProcessor(2);
        LogitsProcessor minTokens = new MinNewTokensProcessor(PROMPTS[0].length, 3, eos);
        for (List<LogitsProcessor> chain : List.of(List.of(penalty), List.of(ngram), List.of(minTokens),
                List.of(penalty, ngram, minTokens))) {
            assertDeviceMatchesHost(chain);
        }
        assertThat(tokens(hostCandidates(List.of(minTokens))[0])).doesNotContain(eos);
    }

    @Test
    void aCallersOwnProcessorBringsTheRowsToTheHostAndTheHostDecides() {
        LogitsProcessor own = (ids, scores) -> scores[0][7] = 100f;
        try (KvCacheDecoder decoder = model.newDecoder()) {
            NextTokenLogits device = decoder.prefillLogits(PROMPTS, null);
            BeamCandidate[][] host = NextTokenLogits.onHost(device.toHost())
                    .beamCandidates(PROMPTS, List.of(own), RUNNING, BEAMS, 2 * BEAMS);
            long calls = model.engineCalls();
            long bytes = decoder.hostBytes();
            BeamCandidate[][] onDevice = device.beamCandidates(PROMPTS, List.of(own), RUNNING, BEAMS, 2 * BEAMS);
            assertThat(onDevice).isDeepEqualTo(host);
            assertThat(onDevice[0][0].token()).isEqualTo(7);
            assertThat(model.engineCalls() - calls).isZero();
            assertThat(decoder.hostBytes() - bytes).isEqualTo((long) PROMPTS.length * model.hparams().nVocab() * Float.BYTES);
        }
    }

    /** Equal scores at the edge of the best n: which are kept depends on the tie rule, so the host's decides. */
    @Test
    void aTieAtTheLastPlaceIsSettledByTheHostsRule() {
        float[][] logits = new float[4][7]; // every token equal; prompt 0's two beams both live
        float[] running = {0f, 0f, 0f, -1e9f};
        HostCopies copies = new HostCopies();
        BeamCandidate[][] device = onDevice(logits, running, 2, copies);
        assertThat(device).isDeepEqualTo(NextTokenLogits.onHost(logits).beamCandidates(ids(4), List.of(), running, 2, 4));
        assertThat(tokens(device[0])).containsExactly(0, 1, 2, 3);
        assertThat(copies.copies()).as("top-k values, indices, then the processed rows").isEqualTo(3);
    }

    /** Ties inside the best n, with a clear edge: torch's order among them is not the index order; the host's is. */
    @Test
    void tiesInsideTheBestAreOrderedByIndexWithoutCopyingRows() {
        float[][] logits = { // one row a permutation of the other: equal log-probabilities
            {0, 3, 3, 1, 0, 0, 0, 0, 0, 0, 0}, {3, 0, 0, 0, 0, 3, 0, 0, 1, 0, 0},
        };
        float[] running = {0f, 0f};
        HostCopies copies = new HostCopies();
        BeamCandidate[][] device = onDevice(logits, running, 2, copies);
        BeamCandidate[][] host = NextTokenLogits.onHost(logits).beamCandidates(ids(2), List.of(), running, 2, 4);
        assertSame(device, host);
        assertThat(device[0]).extracting(c -> c.sourceRow() * 11 + c.token()).containsExactly(1, 2, 11, 16);
        assertThat(copies.copies()).isEqualTo(2);
    }

    @Test
    void beamSearchOnTheDeviceGeneratesWhatTheHostPathGenerates() {
        int[] prompt = {6109, 3626, 6100, 345};
        List<GenerationConfig> configs = List.of(
                GenerationConfig.builder().maxNewTokens(12).numBeams(4).numReturnSequences(4).build(),
                GenerationConfig.builder().maxNewTokens(12).numBeams(5).numReturnSequences(3).noRepeatNgramSize(2)
                        .repetitionPenalty(1.3).build(),
                GenerationConfig.builder().maxNewTokens(12).numBeams(4).numReturnSequences(2).eosTokenId(2341)
                        .minNewTokens(3).noRepeatNgramSize(3).build());
        for (GenerationConfig config : configs) {
            BeamResult device;
            BeamResult host;
            try (KvCacheDecoder decoder = model.newDecoder()) {
                device = new BeamSearch(config, BeamLengthConvention.HF_4_57).generate(decoder, PromptBatch.single(prompt));
            }
            try (KvCacheDecoder decoder = model.newDecoder()) {
                host = new BeamSearch(config, BeamLengthConvention.HF_4_57).generate(new OnHost(decoder), PromptBatch.single(prompt));
            }
            assertThat(device.sequences()).isDeepEqualTo(host.sequences());
            for (int i = 0; i < host.sequencesScores().length; i++) {
                assertThat(device.sequencesScores()[i]).isCloseTo(host.sequencesScores()[i], within(1e-5f));
            }
        }
    }

    private static void assertDeviceMatchesHost(List<LogitsProcessor> processors) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            NextTokenLogits device = decoder.prefillLogits(PROMPTS, null);
            BeamCandidate[][] host = NextTokenLogits.onHost(device.toHost())
                    .beamCandidates(PROMPTS, processors, RUNNING, BEAMS, 2 * BEAMS);
            assertSame(device.beamCandidates(PROMPTS, processors, RUNNING, BEAMS, 2 * BEAMS), host);
        }
    }

    private static BeamCandidate[][] hostCandidates(List<LogitsProcessor> processors) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            return NextTokenLogits.onHost(decoder.prefill(PROMPTS, null))
                    .beamCandidates(PROMPTS, processors, RUNNING, BEAMS, 2 * BEAMS);
        }
    }

    /** Same tokens, beams and order; scores within a few ulps of the host's log-softmax. */
    private static void assertSame(BeamCandidate[][] device, BeamCandidate[][] host) {
        assertThat(device).hasSameDimensionsAs(host);
        for (int b = 0; b < host.length; b++) {
            for (int i = 0; i < host[b].length; i++) {
                BeamCandidate d = device[b][i];
                BeamCandidate h = host[b][i];
                assertThat(new int[] {d.token(), d.sourceRow()}).as("prompt %d rank %d", b, i)
                        .containsExactly(h.token(), h.sourceRow());
                assertThat(d.score()).as("prompt %d rank %d", b, i).isCloseTo(h.score(), within(1e-5f + 1e-7f * Math.abs(h.score())));
            }
        }
    }

    private static BeamCandidate[][] onDevice(float[][] logits, float[] running, int beams, HostCopies copies) {
        try (NDManager manager = model.newResultManager()) {
            float[] flat = new float[logits.length * logits[0].length];
            for (int r = 0; r < logits.length; r++) {
                System.arraycopy(logits[r], 0, flat, r * logits[0].length, logits[0].length);
            }
            NDArray array = manager.create(flat, new Shape(logits.length, logits[0].length));
            return new DeviceBeamStep(model.ops(), copies)
                    .candidates(array, manager, ids(logits.length), List.of(), running, beams, 2 * beams);
        }
    }

    private static int[][] ids(int rows) {
        int[][] ids = new int[rows][];
        for (int r = 0; r < rows; r++) {
            ids[r] = new int[] {r};
        }
        return ids;
    }

    private static List<Integer> tokens(BeamCandidate[] candidates) {
        return java.util.Arrays.stream(candidates).map(BeamCandidate::token).toList();
    }

    /** The decoder with its logits copied to the host at once: the host path, on the same model. */
    private record OnHost(KvCacheDecoder decoder) implements LogitsSource {
        @Override
        public int vocabSize() {
            return decoder.vocabSize();
        }

        @Override
        public int maxSequenceLength() {
            return decoder.maxSequenceLength();
        }

        @Override
        public float[][] prefill(int[][] inputIds, int[][] attentionMask) {
            return decoder.prefill(inputIds, attentionMask);
        }

        @Override
        public float[][] step(int[] nextTokens) {
            return decoder.step(nextTokens);
        }

        @Override
        public void reorder(int[] sourceRows) {
            decoder.reorder(sourceRows);
        }

        @Override
        public void close() {
            decoder.close();
        }
    }
}
