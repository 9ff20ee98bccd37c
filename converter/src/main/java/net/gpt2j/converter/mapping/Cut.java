package net.gpt2j.converter.mapping;

import net.gpt2j.format.TensorSpec;

import java.nio.FloatBuffer;

/**
 * How one output tensor is cut from its input: the input seen as a {@code rows x cols} matrix (a
 * Conv1D weight's leading 1 squeezed, a vector as one row), the column range {@code [colFrom,
 * colTo)} taken, transposed ({@code [in, out] -> [out, in]}) or not.
 */
public record Cut(TensorSpec spec, int rows, int cols, int colFrom, int colTo, boolean transpose) {

    public int width() {
        return colTo - colFrom;
    }

    /**
     * True when the output is one run of the input's bytes, in order (a whole tensor kept as it is,
     * or a range of a vector): it can be copied chunk by chunk without holding the input.
     */
    public boolean contiguous() {
        return !transpose && (rows == 1 || width() == cols);
    }

    /** Where a {@link #contiguous()} output's bytes start in its input. */
    public long inputByteOffset() {
        if (!contiguous()) {
            throw new IllegalStateException(spec.name() + " is not one run of its input's bytes");
        }
        return (long) colFrom * Float.BYTES;
    }

    /**
     * The output's values, row-major, read from {@code src} (the input, row-major, from its
     * position). The plain, obviously-right loop: {@link WeightMapping#map} and the tests use it as
     * the reference that {@link BlockedTranspose} must equal bit for bit.
     */
    public float[] extract(FloatBuffer src) {
        int width = width();
        float[] dst = new float[rows * width];
        int base = src.position();
        if (!transpose) {
            for (int r = 0; r < rows; r++) {
                src.get(base + r * cols + colFrom, dst, r * width, width);
            }
        } else {
            // dst[c][r] = src[r][colFrom + c]: the [in, out] -> [out, in] transpose
            float[] row = new float[width];
            for (int r = 0; r < rows; r++) {
                src.get(base + r * cols + colFrom, row, 0, width);
                for (int c = 0; c < width; c++) {
                    dst[c * rows + r] = row[c];
                }
            }
        }
        return dst;
    }
}
