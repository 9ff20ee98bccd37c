package net.gpt2j.runtime.model;

import java.nio.FloatBuffer;

/**
 * The {@code [in, out] -> [out, in]} transpose of a hub Conv1D weight at load, in tiles.
 *
 * <p>Why tiles: the plain transpose reads a row of the input and scatters it down a column of the
 * output, one cache line (and for a 768-wide matrix one page every few rows) per value written.
 * Walking 32 x 32 tiles keeps the rows read and the rows written in the L1 cache and the TLB.
 */
final class Transpose {

    private static final int TILE = 32;

    private Transpose() {}

    /**
     * {@code dst[c * rows + r] = src[r * cols + c]} for the {@code rows x cols} matrix {@code src}
     * (from its position), output rows {@code c < scaledRows} multiplied by {@code scale}. Works on
     * heap copies: one bulk read and one bulk write of the buffers, the tiles on plain arrays, where
     * the JIT drops the bounds checks that per-element buffer access (of a mapped file) pays.
     */
    static void into(FloatBuffer src, int rows, int cols, FloatBuffer dst, int scaledRows, float scale) {
        float[] in = new float[rows * cols];
        src.duplicate().get(in);
        float[] out = new float[rows * cols];
        for (int rb = 0; rb < rows; rb += TILE) {
            int re = Math.min(rows, rb + TILE);
            for (int cb = 0; cb < cols; cb += TILE) {
                int ce = Math.min(cols, cb + TILE);
                for (int r = rb; r < re; r++) {
                    int s = r * cols;
                    for (int c = cb; c < ce; c++) {
                        out[c * rows + r] = in[s + c];
                    }
                }
            }
        }
        for (int i = 0, n = Math.min(scaledRows, cols) * rows; i < n; i++) {
            out[i] *= scale;
        }
        dst.duplicate().put(out);
    }
}
