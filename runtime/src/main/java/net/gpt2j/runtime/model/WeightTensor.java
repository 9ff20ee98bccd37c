package net.gpt2j.runtime.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One float32 tensor of a model: its shape and its values, row-major. The values are a
 * {@link FloatBuffer} rather than a {@code float[]} so that a memory-mapped file can feed the model
 * without a heap copy; only {@code values.remaining()} elements from its position are read.
 *
 * <p>{@code fileBytes}, when not null, is where {@code values} come from: the tensor's float32 bytes,
 * little-endian, as mapped from its file ({@link #mapped}). On a little-endian CPU the model can then
 * use those pages as the engine array's memory instead of copying them ({@link WeightMemory}).
 */
public record WeightTensor(long[] shape, FloatBuffer values, ByteBuffer fileBytes) {

    public WeightTensor {
        shape = shape.clone();
        long n = elementCount(shape);
        if (values.remaining() != n) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + values.remaining());
        }
    }

    /** Values with no file pages behind them (an in-memory tensor, or one converted from f16/bf16). */
    public WeightTensor(long[] shape, FloatBuffer values) {
        this(shape, values, null);
    }

    /**
     * A float32 tensor read straight from a file mapping: {@code bytes} are its little-endian values,
     * a direct buffer whose remaining bytes are exactly the tensor's.
     */
    public static WeightTensor mapped(long[] shape, ByteBuffer bytes) {
        if (!bytes.isDirect()) {
            throw new IllegalArgumentException("a mapped tensor's bytes must be a direct buffer");
        }
        ByteBuffer own = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        return new WeightTensor(shape, own.asFloatBuffer(), own);
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
