package net.gpt2j.converter.checkpoint;

import java.util.Arrays;

/**
 * One tensor as a TF V2 checkpoint index describes it (a BundleEntryProto): where its bytes are and
 * the crc32c they must have. {@code dtype} is TF's DataType name ("DT_FLOAT" for every GPT-2 tensor).
 */
public record TensorEntry(String name, String dtype, long[] shape, int shardId, long offset, long size, int crc32c) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeString() + " shard " + shardId + " offset " + offset + " size " + size;
    }
}
