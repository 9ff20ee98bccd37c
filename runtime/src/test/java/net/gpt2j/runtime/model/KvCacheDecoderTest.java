package net.gpt2j.runtime.model;

import static net.gpt2j.runtime.model.Gpt2ModelGoldenLogitsTest.argmax;
import static net.gpt2j.runtime.model.Gpt2ModelGoldenLogitsTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Incremental decoding with the KV cache gives the full forward's logits, row by row and step by step. */
class KvCacheDecoderTest {

    private static final double TOLERANCE = 1e-5;

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
    void prefillThenStepsGiveTheFullForwardsLogitsForOneRow() {
        int[] sequence = GoldenFixture.ints(fixture.golden.get("logits").get(1).get("input_ids")); // 22 tokens
        float[][] full = model.logits(new int[][] {sequence}, null)[0];
        int prompt = 5;
        try (KvCacheDecoder decoder = model.newDecoder()) {
            float[][] next = decoder.prefill(new int[][] {Arrays.copyOf(sequence, prompt)}, null);
            assertClose(next[0], full[prompt - 1], TOLERANCE, "prefill");
            for (int p = prompt; p < sequence.length; p++) {
                next = decoder.step(new int[] {sequence[p]});
                assertClose(next[0], full[p], TOLERANCE, "step at position " + p);
            }
            assertThat(decoder.length()).isEqualTo(sequence.length);
        }
    }

    /**
     * On the CPU a decode step's attention takes an elementwise product and sum while rows x heads x
     * length x head_dim stays below 32768, and the batched matrix product above (Gpt2Forward.py): the
     * steps on both sides of that bound give the logits a prefill of the same prefix gives.
     */
    @Test
    void decodeStepsMatchAPrefillOnBothSidesOfTheSmallAttentionBound() {
        int rows = 16; // the tiny fixture's 4 heads of 16: the bound falls at length 32
        int prompt = 24;
        int total = 40;
        java.util.Random random = new java.util.Random(7);
        int[][] sequences = new int[rows][total];
        for (int[] row : sequences) {
            Arrays.setAll(row, i -> random.nextInt(50257));
        }
        try (Gpt2Model tiny = GoldenFixture.of("tiny").load(ModelConfig.DEFAULT);
                KvCacheDecoder decoder = tiny.newDecoder()) {
            decoder.prefill(prefixes(sequences, prompt), null);
            for (int p = prompt; p < total; p++) {
                int[] next = new int[rows];
                for (int r = 0; r < rows; r++) {
                    next[r] = sequences[r][p];
                }
                float[][] stepped = decoder.step(next);
                try (KvCacheDecoder whole = tiny.newDecoder()) {
                    float[][] expected = whole.prefill(prefixes(sequences, p + 1), null);
                    for (int r = 0; r < rows; r++) {
                        assertClose(stepped[r], expected[r], TOLERANCE, "row " + r + " at length " + (p + 1));
                    }
                }
            }
        }
    }

    private static int[][] prefixes(int[][] sequences, int length) {
        return Arrays.stream(sequences).map(row -> Arrays.copyOf(row, length)).toArray(int[][]::new);
    }

    @Test
    void leftPaddedBatchStepsMatchTheFullForwardAndReproduceHuggingFacesGreedyTokens() {
        JsonNode batch = fixture.golden.get("batch_greedy").get(0);
        int[][] prompt = GoldenFixture.intRows(batch.get("input_ids"));
        int[][] promptMask = GoldenFixture.intRows(batch.get("attention_mask"));
        int[][] output = GoldenFixture.intRows(batch.get("output_ids")); // prompt + greedy tokens
        int rows = prompt.length;
        int promptLength = prompt[0].length;
        int total = output[0].length;
        int[][] fullMask = new int[rows][total];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(fullMask[r], 1);
            System.arraycopy(promptMask[r], 0, fullMask[r], 0, promptLength);
        }
        float[][][] full = model.logits(output, fullMask);
        try (KvCacheDecoder decoder = model.newDecoder()) {
            float[][] next = decoder.prefill(prompt, promptMask);
            for (int p = promptLength; ; p++) {
                int[] chosen = new int[rows];
                for (int r = 0; r < rows; r++) {
                    assertClose(next[r], full[r][p - 1], TOLERANCE, "row " + r + " after position " + (p - 1));
                    chosen[r] = argmax(next[r]);
                    assertThat(chosen[r]).as("row %d greedy token at %d", r, p).isEqualTo(output[r][p]);
                }
                if (p + 1 == total) {
                    break;
                }
                next = decoder.step(chosen);
            }
        }
    }

    @Test
    void reorderDuplicatesAndPermutesRowsAndExpandsOneRowToBeams() {
        int[] a = GoldenFixture.ints(fixture.golden.get("logits").get(2).get("input_ids")); // 7 tokens
        int[] b = GoldenFixture.ints(fixture.golden.get("logits").get(3).get("input_ids")); // 9 tokens
        int[] aTail = Arrays.copyOfRange(a, a.length - 7, a.length);
        int[] bTail = Arrays.copyOfRange(b, b.length - 7, b.length);
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefill(new int[][] {aTail, bTail}, null);
            decoder.reorder(new int[] {1, 0, 1});
            assertThat(decoder.rows()).isEqualTo(3);
            int[] next = {11, 22, 33};
            float[][] stepped = decoder.step(next);
            int[][] expectedRows = {append(bTail, 11), append(aTail, 22), append(bTail, 33)};
            for (int r = 0; r < 3; r++) {
                float[][] full = model.logits(new int[][] {expectedRows[r]}, null)[0];
                assertClose(stepped[r], full[full.length - 1], TOLERANCE, "reordered row " + r);
            }
            decoder.reorder(new int[] {2, 1}); // drop a row, then step again
            stepped = decoder.step(new int[] {44, 55});
            int[][] afterDrop = {append(expectedRows[2], 44), append(expectedRows[1], 55)};
            for (int r = 0; r < 2; r++) {
                float[][] full = model.logits(new int[][] {afterDrop[r]}, null)[0];
                assertClose(stepped[r], full[full.length - 1], TOLERANCE, "row " + r + " after a dropping reorder");
            }
            decoder.reorder(new int[] {1, 0}); // same row count: rewritten in place
            stepped = decoder.step(new int[] {66, 77});
            int[][] swapped = {append(afterDrop[1], 66), append(afterDrop[0], 77)};
            for (int r = 0; r < 2; r++) {
                float[][] full = model.logits(new int[][] {swapped[r]}, null)[0];
                assertClose(stepped[r], full[full.length - 1], TOLERANCE, "row " + r + " after an in-place reorder");
            }

            decoder.prefill(new int[][] {aTail}, null); // a new prefill discards the old cache
            decoder.reorder(new int[4]);
            float[][] beams = decoder.step(new int[] {5, 6, 7, 8});
            for (int r = 0; r < 4; r++) {
                float[][] full = model.logits(new int[][] {append(aTail, 5 + r)}, null)[0];
                assertClose(beams[r], full[full.length - 1], TOLERANCE, "expanded beam " + r);
            }
            // in place, only the rows that change: row 0 keeps its place, 1 takes 0's, and 2 and 3
            // swap (each a source and a destination)
            decoder.reorder(new int[] {0, 0, 3, 2});
            beams = decoder.step(new int[] {9, 10, 11, 12});
            int[] lastTokens = {5, 5, 8, 7};
            for (int r = 0; r < 4; r++) {
                int[] row = append(append(aTail, lastTokens[r]), 9 + r);
                float[][] full = model.logits(new int[][] {row}, null)[0];
                assertClose(beams[r], full[full.length - 1], TOLERANCE, "beam " + r + " after a partial in-place reorder");
            }
        }
    }

    @Test
    void stepsKeepNativeMemoryFlat() {
        int[] prompt = GoldenFixture.ints(fixture.golden.get("logits").get(0).get("input_ids"));
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefill(new int[][] {prompt, prompt}, null);
            decoder.step(new int[] {1, 2});
            int live = model.liveArrays();
            for (int i = 0; i < 20; i++) {
                decoder.step(new int[] {3 + i, 4 + i});
                decoder.reorder(new int[] {1, 0});
            }
            assertThat(model.liveArrays()).as("arrays alive after 20 more steps and reorders").isEqualTo(live);
        }
    }

    @Test
    void misuseIsRefusedWithTheReason() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            assertThatThrownBy(() -> decoder.step(new int[] {1})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("prefill");
            decoder.prefill(new int[][] {{1, 2}}, null);
            assertThatThrownBy(() -> decoder.step(new int[] {1, 2})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2 tokens for 1 rows");
            assertThatThrownBy(() -> decoder.step(new int[] {50257})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nextTokens[0]");
            assertThatThrownBy(() -> decoder.reorder(new int[] {1})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sourceRows[0] is 1");
            int nCtx = model.hparams().nCtx();
            for (int i = decoder.length(); i < nCtx; i++) {
                decoder.step(new int[] {7});
            }
            assertThatThrownBy(() -> decoder.step(new int[] {7})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("n_ctx = " + nCtx);
        }
    }

    private static int[] append(int[] row, int token) {
        int[] out = Arrays.copyOf(row, row.length + 1);
        out[row.length] = token;
        return out;
    }
}
