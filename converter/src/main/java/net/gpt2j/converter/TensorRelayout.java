package net.gpt2j.converter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.converter.mapping.Cut;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.safetensors.SafetensorsWriter;

/**
 * Writes one checkpoint tensor's outputs into the safetensors file as bytes, never as float arrays:
 * every output is a run of its input's bytes (the hub keeps OpenAI's layout), so the input streams
 * through one chunk buffer, each chunk handed to the outputs it overlaps. Memory holds the chunk
 * buffer, whatever the model's size, and nothing for the garbage collector.
 */
final class TensorRelayout {

    /**
     * Chunk and band size: large enough that a read or write call costs little beside its copy, small
     * enough to stay in a core's L2 cache between the read, the crc32c and the write.
     * Measured on the 124M shard: 1 MiB chunks crc32c in 8 ms, 8 MiB ones in 20 ms, reads and writes
     * equally fast.
     */
    static final int CHUNK_BYTES = 1 << 20;

    private final CheckpointReader reader;
    private final SafetensorsWriter writer;
    private final WeightMapping mapping;
    private ByteBuffer chunk;

    TensorRelayout(CheckpointReader reader, SafetensorsWriter writer, WeightMapping mapping) {
        this(reader, writer, mapping, CHUNK_BYTES);
    }

    /** {@code chunkBytes}: tests pass a few bytes to cross many chunk and band boundaries on tiny tensors. */
    TensorRelayout(CheckpointReader reader, SafetensorsWriter writer, WeightMapping mapping, int chunkBytes) {
        this.reader = reader;
        this.writer = writer;
        this.mapping = mapping;
        setChunk(chunkBytes);
    }

    /** Reads {@code item}'s tensor, writes its outputs, and returns each output's name with its CRC-32C. */
    Map<String, Integer> convert(InputPlan.Item item) throws IOException {
        List<Cut> cuts = mapping.cutsOf(item.input());
        try {
            return stream(item.entry(), cuts);
        } catch (RuntimeException ex) {
            throw new ConversionException("converting tensor " + item.entry().name() + " failed: " + ex, ex);
        }
    }

    /** Every output is a byte range of the input: chunk by chunk, each chunk's overlap with each range. */
    private Map<String, Integer> stream(TensorEntry e, List<Cut> cuts) throws IOException {
        SafetensorsWriter.TensorSink[] sinks = new SafetensorsWriter.TensorSink[cuts.size()];
        long[] from = new long[cuts.size()];
        long[] to = new long[cuts.size()];
        for (int i = 0; i < sinks.length; i++) {
            Cut c = cuts.get(i);
            sinks[i] = writer.begin(c.spec().name());
            from[i] = c.inputByteOffset();
            to[i] = from[i] + c.spec().byteSize();
        }
        long[] done = {0};
        reader.stream(e, chunk, bytes -> {
            long start = done[0];
            long end = start + bytes.remaining();
            for (int i = 0; i < sinks.length; i++) {
                long lo = Math.max(start, from[i]);
                long hi = Math.min(end, to[i]);
                if (lo < hi) {
                    ByteBuffer part = bytes.duplicate();
                    part.limit(bytes.position() + (int) (hi - start)).position(bytes.position() + (int) (lo - start));
                    sinks[i].put(part);
                }
            }
            done[0] = end;
        });
        checkSize(e, done[0]);
        return finish(cuts, sinks);
    }

    private static Map<String, Integer> finish(List<Cut> cuts, SafetensorsWriter.TensorSink[] sinks) throws IOException {
        Map<String, Integer> crcs = new LinkedHashMap<>();
        for (int i = 0; i < sinks.length; i++) {
            crcs.put(cuts.get(i).spec().name(), sinks[i].finish());
        }
        return crcs;
    }

    private static void checkSize(TensorEntry e, long got) throws ConversionException {
        if (got != e.size()) {
            throw new ConversionException("reading tensor " + e.name() + " gave " + got + " bytes, expected " + e.size());
        }
    }

    private void setChunk(int bytes) {
        chunk = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
