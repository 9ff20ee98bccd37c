package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Beam search's in-place cache moves, both ways the script has: row copies (the CPU's, {@code moved})
 * and a gather a block (a GPU's, {@code gathered}, run here through the test switch). After a
 * reassignment with a cycle, a chain and a fan-out, the next step's logits are the same bits both
 * ways, and they are those of a fresh decoder fed the reassigned rows' tokens.
 */
class CacheRowMovesTest {

    private static final int[][] PROMPTS = {{3, 1, 4, 1, 5}, {9, 2, 6, 5, 3}, {5, 8, 9, 7, 9}, {3, 2, 3, 8, 4}, {6, 2, 6, 4, 3}};
    private static final int[] FIRST = {11, 12, 13, 14, 15};
    // new 0 = old 1, new 1 = old 0 (a swap: a cycle), new 2 = old 3 and new 3 = old 4 (a chain),
    // new 4 = old 4 (kept); old 2 is dropped, old 4 fans out to 3 and 4
    private static final int[] SOURCES = {1, 0, 3, 4, 4};
    private static final int[] NEXT = {21, 22, 23, 24, 25};

    private static GoldenFixture fixture;
    private static Gpt2Model copies;
    private static Gpt2Model gathers;

    @BeforeAll
    static void load() {
        fixture = GoldenFixture.of("odd");
        copies = fixture.load(ModelConfig.DEFAULT);
        gathers = fixture.load(ModelConfig.DEFAULT);
        gathers.gatherMovesAsOnAGpu();
    }

    @AfterAll
    static void close() {
        copies.close();
        gathers.close();
    }

    @Test
    void rowCopiesAndTheGatherLeaveTheCacheTheReassignedRowsWouldHave() {
        float[][] byCopies = afterMoves(copies);
        float[][] byGathers = afterMoves(gathers);
        for (int r = 0; r < SOURCES.length; r++) {
            assertThat(byCopies[r]).as("row %d", r).isEqualTo(byGathers[r]);
        }
        int[][] reassigned = new int[SOURCES.length][];
        for (int r = 0; r < SOURCES.length; r++) {
            int[] prompt = PROMPTS[SOURCES[r]];
            reassigned[r] = new int[prompt.length + 2];
            System.arraycopy(prompt, 0, reassigned[r], 0, prompt.length);
            reassigned[r][prompt.length] = FIRST[SOURCES[r]];
            reassigned[r][prompt.length + 1] = NEXT[r];
        }
        try (KvCacheDecoder fresh = copies.newDecoder()) {
            float[][] expected = fresh.prefill(reassigned, null);
            for (int r = 0; r < SOURCES.length; r++) {
                for (int v = 0; v < expected[r].length; v++) {
                    assertThat(byCopies[r][v]).as("row %d, logit %d", r, v).isCloseTo(expected[r][v], within(1e-4f));
                }
            }
        }
    }

    private static float[][] afterMoves(Gpt2Model model) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefill(PROMPTS, null);
            decoder.step(FIRST);
            decoder.reorder(SOURCES);
            return decoder.step(NEXT);
        }
    }
}
