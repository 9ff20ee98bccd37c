package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** The load's NaN/infinity scan reads in chunks: a bad value past the first chunk, or at a chunk's edge, is still found. */
class FirstNonFiniteTest {

    @Test
    void findsTheFirstBadValueWhereverItSitsAndOnlyFromTheBuffersPosition() {
        int n = 200_000;
        for (int at : new int[] {0, 65_535, 65_536, 131_072, n - 1}) {
            FloatBuffer values = FloatBuffer.allocate(n);
            values.put(at, Float.NaN);
            assertThat(Gpt2Weights.firstNonFinite(values)).as("NaN at %d", at).isEqualTo(at);
        }
        FloatBuffer values = FloatBuffer.allocate(n);
        values.put(100_000, Float.NEGATIVE_INFINITY);
        values.put(10, Float.POSITIVE_INFINITY);
        values.position(11); // before the position does not count; the index is relative to it
        assertThat(Gpt2Weights.firstNonFinite(values)).isEqualTo(100_000 - 11);
        assertThat(values.position()).isEqualTo(11);
        assertThat(Gpt2Weights.firstNonFinite(FloatBuffer.allocate(n))).isEqualTo(-1);
        assertThat(Gpt2Weights.firstNonFinite(FloatBuffer.allocate(0))).isEqualTo(-1);
    }
}
