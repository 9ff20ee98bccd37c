package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.BeamSearch;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.LogitsProcessor;
import net.gpt2j.runtime.generate.MinNewTokensProcessor;
import net.gpt2j.runtime.generate.NextTokenLogits;
import net.gpt2j.runtime.generate.NoRepeatNGramProcessor;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.generate.RepetitionPenaltyProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a beam-search step costs in engine calls and in bytes brought to the host (see
 * {@link DeviceBeamStep}): on a GPU each call is a launch, each copy a transfer and a wait. These pin
 * both: a call added to the step, or a row copied where a candidate list would do, shows up here.
 */
class BeamStepEngineCallsTest {

    /**
     * A cache reorder that keeps the row count, every block at once: the source rows and the used
     * length as script arguments, the script's call. The cache's tensors are rewritten in place, so
     * no handles are taken and the next forward reuses the cache's list.
     */
    static final int PER_REORDER = 3;
    /** One that changes the row count (a prompt expanded to its beams): new arrays taken, the list built again. */
    static final int PER_RESIZING_REORDER = PER_REORDER + 2;

    /** {@code log_softmax}, running scores built, added in place, viewed per prompt, {@code topk}. */
    static final int PER_BEAM_STEP = 5;
    /** With sparse processors: their index built, {@code gather}, the new values built, {@code scatter}. */
    static final int PER_PROCESSOR_EDIT = 4;

    private static final int BEAMS = 5;
    private static final int[] PROMPT = {3, 1, 4, 1, 5, 9, 2, 6};

    private static GoldenFixture fixture;
    private static Gpt2Model model;

    @BeforeAll
    static void load() {
        fixture = GoldenFixture.of("odd");
        model = fixture.load(ModelConfig.DEFAULT);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aBeamStepIssuesFiveCallsAndCopiesOnlyTheTopkOfEachPrompt() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            NextTokenLogits logits = decoder.prefillLogits(new int[][] {PROMPT, PROMPT}, null).repeatEachRow(BEAMS);
            int[][] ids = rows(2 * BEAMS);
            long calls = model.engineCalls();
            long copies = decoder.hostCopies();
            long bytes = decoder.hostBytes();
            int arrays = model.liveArrays();
            logits.beamCandidates(ids, List.of(), running(2 * BEAMS), BEAMS, 2 * BEAMS);
            assertThat(model.liveArrays()).as("the step's temporaries freed").isEqualTo(arrays);
            assertThat(model.engineCalls() - calls).isEqualTo(PER_BEAM_STEP);
            assertThat(decoder.hostCopies() - copies).as("top-k values and indices").isEqualTo(2);
            // per prompt 2 * beams + 1 candidates (one more to see a tie at the edge): a float and a long each
            assertThat(decoder.hostBytes() - bytes).isEqualTo(2L * (2 * BEAMS + 1) * (Float.BYTES + Long.BYTES));
        }
    }

    @Test
    void sparseProcessorsAddFourCallsAndCopyOnlyTheScoresTheyTouch() {
        List<LogitsProcessor> processors = List.of(new RepetitionPenaltyProcessor(1.2), new NoRepeatNGramProcessor(2),
                new MinNewTokensProcessor(PROMPT.length, 2, 50256));
        try (KvCacheDecoder decoder = model.newDecoder()) {
            NextTokenLogits logits = decoder.prefillLogits(new int[][] {PROMPT}, null).repeatEachRow(BEAMS);
            long calls = model.engineCalls();
            long bytes = decoder.hostBytes();
            int arrays = model.liveArrays();
            logits.beamCandidates(rows(BEAMS), processors, running(BEAMS), BEAMS, 2 * BEAMS);
            assertThat(model.liveArrays()).as("the step's temporaries freed").isEqualTo(arrays);
            assertThat(model.engineCalls() - calls).isEqualTo(PER_BEAM_STEP + PER_PROCESSOR_EDIT);
            // each row touches its 7 distinct ids (4 after the n-gram "1" is banned too) and the end token: 8 scores
            long touched = BEAMS * 8L * Float.BYTES;
            assertThat(decoder.hostBytes() - bytes).isEqualTo(touched + (2 * BEAMS + 1) * (Float.BYTES + Long.BYTES));
        }
    }

    @Test
    void aFiveBeamSearchCopiesCandidatesNotRowsAtEveryStep() {
        int newTokens = 6;
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(newTokens).numBeams(BEAMS).noEosToken().build();
        long prefill = prefillCalls();
        try (KvCacheDecoder decoder = model.newDecoder()) {
            long calls = model.engineCalls();
            new BeamSearch(config, BeamLengthConvention.HF_4_57).generate(decoder, PromptBatch.single(PROMPT));
            // 132 bytes a step, where the rows were 5 x 50257 floats: 1,005,140 bytes
            long perStepBytes = (2 * BEAMS + 1) * (Float.BYTES + Long.BYTES);
            assertThat(decoder.hostBytes()).isEqualTo(newTokens * perStepBytes);
            assertThat(decoder.hostCopies()).isEqualTo(2L * newTokens);
            // one repeat of the prompt's logits to its beams, then per step the beam step; before each
            // later step the cache's reorder (every one here moves rows: the first expands the prompt to
            // its beams, the others keep 5 rows), then that step's forward, a batch-1 step's calls
            assertThat(model.engineCalls() - calls).isEqualTo(prefill + 1 + newTokens * PER_BEAM_STEP
                    + PER_RESIZING_REORDER + (newTokens - 2) * PER_REORDER
                    + (newTokens - 1) * EngineCallsPerStepTest.PER_STEP);
        }
    }

    private static long prefillCalls() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            long before = model.engineCalls();
            decoder.prefillLogits(new int[][] {PROMPT}, null);
            return model.engineCalls() - before;
        }
    }

    private static int[][] rows(int n) {
        int[][] ids = new int[n][];
        for (int r = 0; r < n; r++) {
            ids[r] = PROMPT.clone();
        }
        return ids;
    }

    private static float[] running(int n) {
        float[] scores = new float[n];
        for (int r = 0; r < n; r++) {
            scores[r] = r % BEAMS == 0 ? 0f : -1e9f;
        }
        return scores;
    }
}
