package net.gpt2j.format.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import net.gpt2j.format.TensorSpec;

/**
 * Writes a float32 safetensors file whose layout is fixed up front, so tensors can arrive in any
 * order and be written straight to their place (positional writes): a converter streams one tensor
 * at a time and never holds the model. A tensor's bytes arrive whole ({@link #write}) or in pieces,
 * in order, through a {@link TensorSink}; either way the writer returns their CRC-32C.
 *
 * <p>Different tensors may be written from different threads (positional writes do not share a
 * file position); one sink belongs to one thread.
 *
 * <p>Call {@link #finish()} once every tensor is written; {@link #close()} alone leaves an
 * incomplete file for the caller to delete.
 */
public final class SafetensorsWriter implements AutoCloseable {

    private static final int CHUNK_FLOATS = 256 * 1024; // 1 MiB of bytes per write
    /** A background fdatasync after every 64 MiB written (see {@link WriteBack}). */
    private static final long WRITE_BACK_STEP = 64L << 20;

    private final Path file;
    private final SafetensorsHeader header;
    private final FileChannel channel;
    private final WriteBack writeBack;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final boolean[] begun;
    private final boolean[] written;
    private ByteBuffer chunk;

    private SafetensorsWriter(Path file, SafetensorsHeader header, FileChannel channel) {
        this.file = file;
        this.header = header;
        this.channel = channel;
        this.writeBack = new WriteBack(channel, WRITE_BACK_STEP);
        List<TensorSpec> specs = header.specs();
        for (int i = 0; i < specs.size(); i++) {
            indexByName.put(specs.get(i).name(), i);
        }
        this.begun = new boolean[specs.size()];
        this.written = new boolean[specs.size()];
    }

    /** Creates {@code file} (which must not exist) and writes its header. */
    public static SafetensorsWriter create(Path file, List<TensorSpec> specs, Map<String, String> metadata)
            throws IOException {
        SafetensorsHeader header = SafetensorsHeader.layout(specs, metadata);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            byte[] json = header.headerBytes();
            ByteBuffer prefix = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(json.length).put(json).flip();
            writeFully(file, channel, prefix, 0);
            return new SafetensorsWriter(file, header, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public List<TensorSpec> specs() {
        return header.specs();
    }

    /**
     * Writes one tensor's values (row-major) at its place and returns the CRC-32C of the bytes
     * written (little-endian float32), so a manifest needs no second pass over the file.
     */
    public int write(String name, float[] values) throws IOException {
        TensorSpec spec = header.specs().get(indexOf(name));
        if (values.length != spec.elementCount()) {
            throw new SafetensorsException("tensor " + name + " " + spec.shapeString() + " needs "
                    + spec.elementCount() + " values, got " + values.length);
        }
        TensorSink sink = begin(name);
        if (chunk == null) {
            chunk = ByteBuffer.allocateDirect(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }
        FloatBuffer chunkFloats = chunk.clear().asFloatBuffer();
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - from);
            chunkFloats.clear();
            chunkFloats.put(values, from, n);
            chunk.clear().limit(n * Float.BYTES);
            sink.put(chunk);
        }
        return sink.finish();
    }

    /**
     * Starts writing tensor {@code name}: its bytes (little-endian float32, row-major) are then
     * handed to the sink in order, in pieces of any size. Several sinks may be open at once (one
     * input tensor's chunks can feed several outputs).
     */
    public synchronized TensorSink begin(String name) throws SafetensorsException {
        int index = indexOf(name);
        if (begun[index]) {
            throw new SafetensorsException("tensor " + name + " was already written to " + file);
        }
        begun[index] = true;
        return new TensorSink(index);
    }

    private int indexOf(String name) throws SafetensorsException {
        Integer index = indexByName.get(name);
        if (index == null) {
            throw new SafetensorsException("tensor " + name + " is not in the layout of " + file);
        }
        return index;
    }

    /** Checks every tensor was written, waits for the background write-back and forces the file to disk. */
    public synchronized void finish() throws IOException {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            if (!written[i]) {
                missing.add(header.specs().get(i).name());
            }
        }
        if (!missing.isEmpty()) {
            throw new SafetensorsException(file + " is incomplete: never written " + missing);
        }
        try {
            writeBack.await();
            channel.force(true);
        } catch (IOException e) { // a full disk can surface only when the file is forced
            throw naming(file, e);
        }
    }

    @Override
    public void close() throws IOException {
        writeBack.close(); // no force may still run on the channel once it is closed
        channel.close();
    }

    /** One tensor being written: its bytes arrive in order and land at their place in the file. */
    public final class TensorSink {
        private final int index;
        private final TensorSpec spec;
        private final CRC32C crc = new CRC32C();
        private long position;
        private final long end;
        private boolean finished;

        private TensorSink(int index) {
            this.index = index;
            this.spec = header.specs().get(index);
            this.position = header.fileOffsetOf(index);
            this.end = position + spec.byteSize();
        }

        /** Writes the bytes from {@code bytes}' position to its limit next; its position is left unchanged. */
        public void put(ByteBuffer bytes) throws IOException {
            if (finished) {
                throw new SafetensorsException("tensor " + spec.name() + " was already finished in " + file);
            }
            int n = bytes.remaining();
            if (n > end - position) {
                throw new SafetensorsException("tensor " + spec.name() + " " + spec.shapeString() + " is " + spec.byteSize()
                        + " bytes; got " + (spec.byteSize() - (end - position) + n) + " so far");
            }
            ByteBuffer view = bytes.duplicate();
            crc.update(view);
            view.position(bytes.position());
            writeFully(file, channel, view, position);
            position += n;
            writeBack.wrote(n);
        }

        /** Checks every byte arrived, marks the tensor written and returns the CRC-32C of its bytes. */
        public int finish() throws SafetensorsException {
            if (position != end) {
                throw new SafetensorsException("tensor " + spec.name() + " " + spec.shapeString() + " is " + spec.byteSize()
                        + " bytes; only " + (spec.byteSize() - (end - position)) + " were written");
            }
            finished = true;
            synchronized (SafetensorsWriter.this) {
                written[index] = true;
            }
            return (int) crc.getValue();
        }
    }

    /** Writes all of {@code buffer} at {@code position}; a failure names the file ({@link #naming}). */
    private static void writeFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        try {
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } catch (IOException e) {
            throw naming(file, e);
        }
    }

    /**
     * A failed write or force that names {@code file}: the channel's own exception says only "No space
     * left on device" or "Input/output error". An interrupt's closed channel passes as it is.
     */
    private static IOException naming(Path file, IOException e) {
        if (e instanceof java.nio.channels.ClosedChannelException) {
            return e;
        }
        return new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
}
