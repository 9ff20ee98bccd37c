package net.gpt2j.converter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.converter.mapping.BlockedTranspose;
import net.gpt2j.converter.mapping.Cut;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.safetensors.SafetensorsWriter;

/**
 * Writes one checkpoint tensor's outputs into the safetensors file as bytes, never as float arrays.
 *
 * <p>An input whose outputs are each one run of its bytes (wte, wpe, biases, layer norms, every
 * tensor of the hf layout) streams through one chunk buffer: read a chunk, hand each output its
 * part. An input that is transposed (the runtime layout's matrices) is read whole into a buffer
 * reused from tensor to tensor, and its outputs are written band by band through the chunk buffer
 * ({@link BlockedTranspose}). So memory holds the chunk buffer and the largest transposed input
 * (9.4 MB for 124M, 41 MB for 1558M), whatever the model's size, and nothing for the garbage
 * collector: no array per tensor, no mapping left resident until a collection unmaps it.
 */
final class TensorRelayout {

    /**
     * Chunk and band size: large enough that a read or write call costs little beside its copy, small
     * enough to stay in a core's L2 cache between the read (or transpose), the crc32c and the write.
     * Measured on the 124M shard: 1 MiB chunks crc32c in 8 ms, 8 MiB ones in 20 ms, reads and writes
     * equally fast.
     */
    static final int CHUNK_BYTES = 1 << 20;

    private final CheckpointReader reader;
    private final SafetensorsWriter writer;
    private final WeightMapping mapping;
    private ByteBuffer chunk;
    private FloatBuffer chunkFloats;
    private ByteBuffer whole = ByteBuffer.allocateDirect(0);

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
            return cuts.stream().allMatch(Cut::contiguous) ? stream(item.entry(), cuts) : whole(item.entry(), cuts);
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

    /** Some output is transposed (or strided): the input is read whole, then each output cut from it. */
    private Map<String, Integer> whole(TensorEntry e, List<Cut> cuts) throws IOException {
        if (whole.capacity() < e.size()) {
            whole = ByteBuffer.allocateDirect((int) e.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        whole.clear();
        reader.readInto(e, whole);
        whole.flip();
        checkSize(e, whole.remaining());
        FloatBuffer src = whole.asFloatBuffer();
        SafetensorsWriter.TensorSink[] sinks = new SafetensorsWriter.TensorSink[cuts.size()];
        for (int i = 0; i < sinks.length; i++) {
            Cut c = cuts.get(i);
            sinks[i] = writer.begin(c.spec().name());
            if (c.transpose()) {
                transposed(src, c, sinks[i]);
            } else if (c.contiguous()) {
                ByteBuffer part = whole.duplicate();
                part.position((int) c.inputByteOffset()).limit((int) (c.inputByteOffset() + c.spec().byteSize()));
                sinks[i].put(part);
            } else {
                strided(c, sinks[i]);
            }
        }
        return finish(cuts, sinks);
    }

    /** Output rows (input columns) in bands as large as the chunk buffer holds. */
    private void transposed(FloatBuffer src, Cut c, SafetensorsWriter.TensorSink sink) throws IOException {
        int rowBytes = c.rows() * Float.BYTES;
        if (chunk.capacity() < rowBytes) {
            setChunk(rowBytes);
        }
        int band = chunk.capacity() / rowBytes;
        for (int first = 0; first < c.width(); first += band) {
            int n = Math.min(band, c.width() - first);
            BlockedTranspose.band(src, c, first, n, chunkFloats);
            chunk.clear().limit(n * rowBytes);
            sink.put(chunk);
        }
    }

    /** A column range of a matrix, not transposed: row pieces gathered into the chunk buffer. Neither layout needs it today. */
    private void strided(Cut c, SafetensorsWriter.TensorSink sink) throws IOException {
        int pieceBytes = c.width() * Float.BYTES;
        chunk.clear();
        for (int r = 0; r < c.rows(); r++) {
            int at = (r * c.cols() + c.colFrom()) * Float.BYTES;
            ByteBuffer piece = whole.duplicate();
            piece.limit(at + pieceBytes).position(at);
            while (piece.hasRemaining()) {
                if (!chunk.hasRemaining()) {
                    sink.put(chunk.flip());
                    chunk.clear();
                }
                ByteBuffer part = piece.duplicate();
                part.limit(piece.position() + Math.min(piece.remaining(), chunk.remaining()));
                chunk.put(part);
                piece.position(part.position());
            }
        }
        sink.put(chunk.flip());
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
        chunkFloats = chunk.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
}
