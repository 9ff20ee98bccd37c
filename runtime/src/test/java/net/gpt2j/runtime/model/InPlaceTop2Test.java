package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.util.Random;
import net.gpt2j.runtime.generate.NextTokenLogits.Top2;
import net.gpt2j.runtime.generate.ScoreMath;
import org.junit.jupiter.api.Test;

class InPlaceTop2Test {

    @Test
    void agreesWithScoreMathOnRandomRowsTiesAndSpecialValues() {
        Random random = new Random(3);
        float[][] rows = new float[7][1000];
        for (float[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextInt(50) / 4f; // many ties
            }
        }
        rows[1][0] = Float.NaN; // ScoreMath's argmax starts from index 0, NaN or not
        rows[2][999] = Float.POSITIVE_INFINITY;
        java.util.Arrays.fill(rows[3], Float.NEGATIVE_INFINITY);
        rows[4][17] = 100f;
        rows[4][400] = 100f; // a tie for the best: the first index, gap 0
        rows[5][998] = 1e9f; // the best last but one
        rows[6][0] = 1e9f; // the best first
        Top2 top = InPlaceTop2.of(flat(rows), rows.length, 1000);
        for (int r = 0; r < rows.length; r++) {
            assertThat(top.argmax()[r]).as("row %d", r).isEqualTo(ScoreMath.argmax(rows[r]));
            // bits, not ==: a row of only -Infinity has a NaN gap on both sides
            assertThat(Float.floatToIntBits(top.gap()[r])).as("row %d", r)
                    .isEqualTo(Float.floatToIntBits(ScoreMath.top2Gap(rows[r])));
        }
        assertThat(top.argmax()[4]).isEqualTo(17);
        assertThat(top.gap()[4]).isZero();
    }

    /** A real vocabulary's rows in a direct buffer, as the engine's logits are: the best and runner-up anywhere, last included. */
    @Test
    void agreesWithScoreMathOnFullVocabularyRowsInADirectBuffer() {
        int vocab = 50257;
        Random random = new Random(5);
        int[][] places = {{8191, 8192}, {8192, 8191}, {16384, 0}, {vocab - 1, 8192 * 6}, {8192 * 6, vocab - 1}};
        float[][] rows = new float[places.length][vocab];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < vocab; i++) {
                rows[r][i] = random.nextFloat();
            }
            rows[r][places[r][0]] = 7f;
            rows[r][places[r][1]] = 6.5f;
        }
        FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(rows.length * vocab * Float.BYTES)
                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        for (float[] row : rows) {
            direct.put(row);
        }
        Top2 top = InPlaceTop2.of(direct.flip(), rows.length, vocab);
        for (int r = 0; r < rows.length; r++) {
            assertThat(top.argmax()[r]).as("row %d", r).isEqualTo(places[r][0]).isEqualTo(ScoreMath.argmax(rows[r]));
            assertThat(top.gap()[r]).as("row %d", r).isEqualTo(0.5f).isEqualTo(ScoreMath.top2Gap(rows[r]));
        }
    }

    @Test
    void readsFromTheBuffersPosition() {
        FloatBuffer values = FloatBuffer.wrap(new float[] {9, 9, 1, 3, 2});
        values.position(2);
        Top2 top = InPlaceTop2.of(values, 1, 3);
        assertThat(top.argmax()).containsExactly(1);
        assertThat(top.gap()).containsExactly(1f);
    }

    @Test
    void refusesABufferOfAnotherSize() {
        assertThatThrownBy(() -> InPlaceTop2.of(FloatBuffer.allocate(5), 2, 3)).hasMessage("logits hold 5 values, expected 2 x 3");
    }

    private static FloatBuffer flat(float[][] rows) {
        FloatBuffer out = FloatBuffer.allocate(rows.length * rows[0].length);
        for (float[] row : rows) {
            out.put(row);
        }
        return out.flip();
    }
}
