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

    @Override
    void close() throws IOException;
}
