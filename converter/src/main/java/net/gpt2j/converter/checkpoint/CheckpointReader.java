package net.gpt2j.converter.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads a TF V2 checkpoint (OpenAI's GPT-2 release format): lists its tensors and hands out one
 * tensor's bytes at a time, so a converter never holds the whole model.
 *
 * <p>Two implementations cross-check each other in tests: a pure-Java one (memory-mapped shards,
 * every crc32c verified) and one backed by TensorFlow's own C checkpoint reader.
 */
public interface CheckpointReader extends AutoCloseable {

    /** Every tensor of the checkpoint, in the index's (sorted by name) order. */
    List<TensorEntry> tensors();

    /**
     * The raw little-endian bytes of one tensor ({@code entry.size()} of them), verified against the
     * checkpoint's checksum where the implementation can. The buffer is read-only, positioned at 0,
     * ordered little-endian, and valid until this reader is closed.
     *
     * @throws CheckpointException naming the tensor when its bytes are missing or corrupt
     */
    ByteBuffer read(TensorEntry entry) throws IOException;

    /**
     * Reads one tensor's bytes into {@code into} at its position (advanced by {@code entry.size()}),
     * verified like {@link #read}. A caller reusing one buffer for every tensor holds no mapping or
     * array per tensor. This default copies {@link #read}'s buffer.
     *
     * @throws IllegalArgumentException when {@code into} has fewer than {@code entry.size()} bytes left
     */
    default void readInto(TensorEntry entry, ByteBuffer into) throws IOException {
        if (into.remaining() < entry.size()) {
            throw new IllegalArgumentException("tensor " + entry.name() + " is " + entry.size() + " bytes; the buffer has room for "
                    + into.remaining());
        }
        into.put(read(entry));
    }

    /**
     * Hands one tensor's bytes to {@code consumer} in order, in chunks of at most {@code
     * scratch.capacity()} bytes read through {@code scratch}, so a tensor of any size passes through
     * a small buffer. Each chunk is valid only during its call. The checksum covers the whole tensor,
     * so it is verified after the last chunk: a consumer must treat what it was given as unverified
     * until this returns (the converter writes into a partial folder that a failure deletes). This
     * default hands over {@link #read}'s buffer as one chunk.
     */
    default void stream(TensorEntry entry, ByteBuffer scratch, Chunks consumer) throws IOException {
        consumer.accept(read(entry));
    }

    /**
     * Whether {@link #read}, {@link #readInto} and {@link #stream} may be called from several threads
     * at once (for different tensors). False unless an implementation knows better.
     */
    default boolean concurrentReads() {
        return false;
    }

    /** Receives a tensor's bytes chunk by chunk: the chunk's bytes are those from its position to its limit. */
    @FunctionalInterface
    interface Chunks {
        void accept(ByteBuffer chunk) throws IOException;
    }

    @Override
    void close() throws IOException;
}
