package net.gpt2j.converter.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.mapping.TensorSpec;

/**
 * Writes a float32 safetensors file whose layout is fixed up front, so tensors can arrive in any
 * order and be written straight to their place (positional writes): a converter streams one tensor
 * at a time and never holds the model.
 *
 * <p>Call {@link #finish()} once every tensor is written; {@link #close()} alone leaves an
 * incomplete file for the caller to delete.
 */
public final class SafetensorsWriter implements AutoCloseable {

    private static final int CHUNK_FLOATS = 256 * 1024; // 1 MiB of bytes per write

    private final Path file;
    private final SafetensorsHeader header;
    private final FileChannel channel;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final boolean[] written;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    /** A float view over the whole of {@code chunk} (taken while it is fresh: a view covers only what remains). */
    private final FloatBuffer chunkFloats = chunk.asFloatBuffer();

    private SafetensorsWriter(Path file, SafetensorsHeader header, FileChannel channel) {
        this.file = file;
        this.header = header;
        this.channel = channel;
        List<TensorSpec> specs = header.specs();
        for (int i = 0; i < specs.size(); i++) {
            indexByName.put(specs.get(i).name(), i);
        }
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
            writeFully(channel, prefix, 0);
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
     * Writes one tensor's values (row-major) at its place and returns the sha256 (lowercase hex) of
     * the bytes written, so a manifest needs no second pass over the file.
     */
    public String write(String name, float[] values) throws IOException {
        Integer index = indexByName.get(name);
        if (index == null) {
            throw new SafetensorsException("tensor " + name + " is not in the layout of " + file);
        }
        TensorSpec spec = header.specs().get(index);
        if (values.length != spec.elementCount()) {
            throw new SafetensorsException("tensor " + name + " " + spec.shapeString() + " needs "
                    + spec.elementCount() + " values, got " + values.length);
        }
        if (written[index]) {
            throw new SafetensorsException("tensor " + name + " was already written to " + file);
        }
        MessageDigest sha = sha256();
        long position = header.fileOffsetOf(index);
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - from);
            chunkFloats.clear();
            chunkFloats.put(values, from, n);
            chunk.clear().limit(n * Float.BYTES);
            sha.update(chunk);
            chunk.flip();
            writeFully(channel, chunk, position);
            position += n * (long) Float.BYTES;
        }
        written[index] = true;
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Checks every tensor was written and forces the file to disk. */
    public void finish() throws IOException {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            if (!written[i]) {
                missing.add(header.specs().get(i).name());
            }
        }
        if (!missing.isEmpty()) {
            throw new SafetensorsException(file + " is incomplete: never written " + missing);
        }
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
