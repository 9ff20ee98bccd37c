package net.gpt2j.converter.mapping;

import net.gpt2j.format.TensorSpec;

import java.util.Arrays;

/** One output tensor: its spec and its float32 values, row-major. */
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
