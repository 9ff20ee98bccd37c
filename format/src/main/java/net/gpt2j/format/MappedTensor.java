package net.gpt2j.format;

import java.util.Arrays;

/**
 * One float32 tensor in memory: its spec and its values, row-major. What the converter's in-memory
 * path hands the runtime, so neither needs the other's classes.
 */
public record MappedTensor(TensorSpec spec, float[] data) {
    public MappedTensor {
        if (spec.elementCount() != data.length) {
            throw new IllegalArgumentException("tensor " + spec.name() + " " + Arrays.toString(spec.shape())
                    + " needs " + spec.elementCount() + " values, got " + data.length);
        }
    }

    public String name() {
        return spec.name();
    }
}
