package net.gpt2j.runtime.model;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One float32 tensor of a model: its shape and its values, row-major. The values are a
 * {@link FloatBuffer} rather than a {@code float[]} so that a memory-mapped file can feed the model
 * without a heap copy; only {@code values.remaining()} elements from its position are read.
 */
public record WeightTensor(long[] shape, FloatBuffer values) {

    public WeightTensor {
        shape = shape.clone();
        long n = elementCount(shape);
        if (values.remaining() != n) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + values.remaining());
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
