package net.gpt2j.runtime.model;

import java.nio.FloatBuffer;
import net.gpt2j.runtime.generate.NextTokenLogits.Top2;
import net.gpt2j.runtime.generate.ScoreMath;

/**
 * Greedy's decision read straight from logits the host can see ({@code [rows, V]} row-major): per row
 * the first index of the largest score and its margin over the second, by the rules of
 * {@link ScoreMath#argmax} and {@link ScoreMath#top2Gap}, in one pass and without copying the row.
 */
final class InPlaceTop2 {

    private InPlaceTop2() {}

    static Top2 of(FloatBuffer logits, int rows, int vocab) {
        if (logits.remaining() != (long) rows * vocab) {
            throw new IllegalArgumentException("logits hold " + logits.remaining() + " values, expected " + rows + " x " + vocab);
        }
        int[] argmax = new int[rows];
        float[] gap = new float[rows];
        int base = logits.position();
        for (int r = 0; r < rows; r++) {
            int offset = base + r * vocab;
            int best = 0;
            float bestValue = logits.get(offset); // ScoreMath.argmax's start, NaN included
            float first = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < vocab; i++) {
                float x = logits.get(offset + i);
                if (x > bestValue) {
                    bestValue = x;
                    best = i;
                }
                if (x > first) {
                    second = first;
                    first = x;
                } else if (x > second) {
                    second = x;
                }
            }
            argmax[r] = best;
            gap[r] = first - second;
        }
        return new Top2(argmax, gap);
    }
}
