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
     * (from its position), output rows {@code c < scaledRows} multiplied by {@code scale}.
     */
    static void into(FloatBuffer src, int rows, int cols, FloatBuffer dst, int scaledRows, float scale) {
        int base = src.position();
        int dstBase = dst.position();
        for (int rb = 0; rb < rows; rb += TILE) {
            int re = Math.min(rows, rb + TILE);
            for (int cb = 0; cb < cols; cb += TILE) {
                int ce = Math.min(cols, cb + TILE);
                for (int r = rb; r < re; r++) {
                    int s = base + r * cols;
                    for (int c = cb; c < ce; c++) {
                        float v = src.get(s + c);
                        dst.put(dstBase + c * rows + r, c < scaledRows ? v * scale : v);
                    }
                }
            }
        }
    }
}
