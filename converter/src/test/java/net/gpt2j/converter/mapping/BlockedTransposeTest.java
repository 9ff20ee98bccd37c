package net.gpt2j.converter.mapping;

import net.gpt2j.format.TensorSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tiled transpose against {@link Cut#extract}, the plain loop, on shapes that fit no tile evenly. */
class BlockedTransposeTest {

    /** A direct little-endian buffer holding 0x3f800000 + i at float i: every value distinct, NaN-free. */
    private static FloatBuffer matrix(int rows, int cols) {
        FloatBuffer f = ByteBuffer.allocateDirect(rows * cols * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < rows * cols; i++) {
            f.put(i, Float.intBitsToFloat(0x3f800000 + i));
        }
        return f;
    }

    @ParameterizedTest(name = "[{0} x {1}] columns [{2}, {3}) in bands of {4}")
    @CsvSource({
        "1, 1, 0, 1, 1",
        "3, 5, 0, 5, 5",
        "37, 70, 0, 70, 70",      // neither dimension a multiple of the tile (32) or of 4
        "37, 70, 0, 70, 9",       // many bands, the last one short
        "65, 99, 33, 66, 7",      // a middle third, as Q/K/V are cut from c_attn
        "64, 192, 128, 192, 64",  // tile-aligned: V of a 64-wide c_attn
        "130, 3, 1, 3, 1"})       // taller than wide, one output row per band
    void everyBandEqualsThePlainTransposeBitForBit(int rows, int cols, int colFrom, int colTo, int band) {
        Cut cut = new Cut(new TensorSpec("t", new long[] {colTo - colFrom, rows}), rows, cols, colFrom, colTo, true);
        FloatBuffer src = matrix(rows, cols);
        float[] want = cut.extract(src.duplicate());
        float[] got = new float[want.length];
        FloatBuffer dst = ByteBuffer.allocateDirect(band * rows * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int first = 0; first < cut.width(); first += band) {
            int n = Math.min(band, cut.width() - first);
            BlockedTranspose.band(src, cut, first, n, dst);
            dst.get(0, got, first * rows, n * rows);
        }
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                throw new AssertionError("value " + i + " is " + got[i] + ", the plain transpose gives " + want[i]);
            }
        }
        assertThat(got).hasSize(rows * (colTo - colFrom));
    }

    @ParameterizedTest
    @CsvSource({"-1, 2", "4, 2", "0, 6"})
    void bandsOutsideTheOutputAreRefusedNamingTheTensor(int first, int count) {
        Cut cut = new Cut(new TensorSpec("h.0.mlp.c_fc.weight", new long[] {5, 3}), 3, 5, 0, 5, true);
        assertThatThrownBy(() -> BlockedTranspose.band(matrix(3, 5), cut, first, count, matrix(5, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h.0.mlp.c_fc.weight").hasMessageContaining("5");
    }
}
