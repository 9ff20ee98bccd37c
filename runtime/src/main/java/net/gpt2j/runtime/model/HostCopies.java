package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * What a decoder brings from the model's device to the host, counted: on a GPU each copy is a
 * transfer and a wait for the device to finish the step, and its size is what issue 13's "copy only
 * what a decision needs" is about. (On the CPU the engine's buffer is read in place; the count says
 * what a GPU would have copied.)
 */
final class HostCopies {

    private long copies;
    private long bytes;

    long copies() {
        return copies;
    }

    long bytes() {
        return bytes;
    }

    FloatBuffer floats(NDArray array) {
        count(array, Float.BYTES);
        return Gpt2Model.hostView(array);
    }

    LongBuffer longs(NDArray array) {
        count(array, Long.BYTES);
        return array.toByteBuffer(true).asLongBuffer();
    }

    float[] floatArray(NDArray array) {
        float[] out = new float[Math.toIntExact(array.size())];
        floats(array).get(out);
        return out;
    }

    long[] longArray(NDArray array) {
        long[] out = new long[Math.toIntExact(array.size())];
        longs(array).get(out);
        return out;
    }

    /** A {@code [rows, V]} array as one host array per row. */
    float[][] rows(NDArray array) {
        count(array, Float.BYTES);
        return Gpt2Model.toHostRows(array);
    }

    private void count(NDArray array, int elementBytes) {
        copies++;
        bytes += array.size() * elementBytes;
    }
}
