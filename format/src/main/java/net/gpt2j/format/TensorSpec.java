package net.gpt2j.format;

import java.util.Arrays;

/** The name and shape of a tensor (float32 throughout GPT-2). */
public record TensorSpec(String name, long[] shape) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return elementCount() * Float.BYTES;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
