package net.gpt2j.converter.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The default {@link CheckpointReader}: pure Java, no TensorFlow. Decodes the index itself
 * ({@link BundleIndex}), and verifies every tensor's crc32c when it is read. {@link #read} memory-maps
 * the tensor's region of its shard (shards over 2 GB work, nothing is copied); {@link #readInto} and
 * {@link #stream} use positional reads into the caller's buffer instead, for a converter that must
 * not keep one mapping per tensor resident until the garbage collector unmaps it.
 *
 * <p>Every entry is checked against the index header and the shard lengths when the reader is
 * opened, so a truncated shard or an index claiming impossible offsets is refused up front with a
 * message naming the tensor and the file, before anything is mapped or allocated.
 */
public final class JavaCheckpointReader implements CheckpointReader {

    /** Bytes per read call in {@link #readInto}: small enough to stay in a core's L2 cache for the crc32c. */
    private static final int READ_PIECE = 1 << 20;

    private final String indexName;
    private final BundleIndex index;
    private final List<ShardRegion> shards;
    private final List<FileChannel> channels = new ArrayList<>();

    private JavaCheckpointReader(String indexName, BundleIndex index, List<ShardRegion> shards) {
        this.indexName = indexName;
        this.index = index;
        this.shards = shards;
    }

    /** Opens the checkpoint in {@code folder}: the {@code checkpoint} state file, the index and every shard. */
    public static JavaCheckpointReader open(Path folder) throws IOException {
        return openPrefix(CheckpointFiles.prefix(folder));
    }

    /** Opens the checkpoint with this prefix ({@code folder/model.ckpt}): its index and every shard it lists. */
    public static JavaCheckpointReader openPrefix(Path prefix) throws IOException {
        Path indexFile = CheckpointFiles.indexFile(prefix);
        byte[] indexBytes = readIndex(indexFile);
        BundleIndex index = BundleIndex.parse(indexBytes, indexFile.toString());
        int n = index.header().numShards();
        List<ShardRegion> shards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path shard = CheckpointFiles.shardFile(prefix, i, n);
            if (!Files.isRegularFile(shard)) {
                throw new CheckpointException("missing checkpoint shard " + shard + " (shard " + i + " of " + n
                        + " listed by " + indexFile + ")");
            }
            shards.add(ShardRegion.wholeFile(shard, Files.size(shard)));
        }
        return fromIndex(indexBytes, indexFile.toString(), shards);
    }

    /**
     * Opens a checkpoint from its index bytes and where its shards are, for shards that are not
     * plain files in a folder (e.g. stored uncompressed inside a .tar or .zip).
     *
     * @param indexBytes the whole {@code .index} file
     * @param indexName  what error messages call the index (its path, or "archive.tar!model.ckpt.index")
     * @param shards     shard {@code i} at position {@code i}, exactly as many as the index header
     *                   says; or an empty list to only list tensors ({@link #read} then fails)
     */
    public static JavaCheckpointReader fromIndex(byte[] indexBytes, String indexName, List<ShardRegion> shards)
            throws IOException {
        BundleIndex index = BundleIndex.parse(indexBytes, indexName);
        int n = index.header().numShards();
        if (!shards.isEmpty() && shards.size() != n) {
            throw new CheckpointException("checkpoint index " + indexName + " has " + n + " shards but "
                    + shards.size() + " shard regions were given");
        }
        if (!shards.isEmpty()) {
            for (TensorEntry e : index.entries()) {
                ShardRegion shard = shards.get(e.shardId());
                if (e.offset() + e.size() > shard.length()) {
                    throw new CheckpointException("tensor " + e.name() + " needs bytes [" + e.offset() + ", "
                            + (e.offset() + e.size()) + ") of shard " + shard.name() + ", which holds only "
                            + shard.length() + " bytes (truncated shard, or a corrupt index " + indexName + ")");
                }
            }
        }
        JavaCheckpointReader reader = new JavaCheckpointReader(indexName, index, List.copyOf(shards));
        try {
            for (ShardRegion shard : shards) {
                reader.channels.add(openChannel(shard));
            }
        } catch (IOException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    public BundleHeader header() {
        return index.header();
    }

    @Override
    public List<TensorEntry> tensors() {
        return index.entries();
    }

    @Override
    public ByteBuffer read(TensorEntry entry) throws IOException {
        Location at = locate(entry);
        ByteBuffer bytes = entry.size() == 0
                ? ByteBuffer.allocate(0)
                : at.channel.map(FileChannel.MapMode.READ_ONLY, at.start, entry.size());
        verify(entry, at, Crc32c.of(bytes));
        return bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads with positional reads, no mapping: the bytes land in the caller's (reused) buffer. Read
     * and checksummed a piece at a time, so the crc32c finds each piece still in the CPU's cache.
     */
    @Override
    public void readInto(TensorEntry entry, ByteBuffer into) throws IOException {
        if (into.remaining() < entry.size()) {
            throw new IllegalArgumentException("tensor " + entry.name() + " is " + entry.size() + " bytes; the buffer has room for "
                    + into.remaining());
        }
        Location at = locate(entry);
        int from = into.position();
        int end = from + (int) entry.size();
        CRC32C crc = new CRC32C();
        ByteBuffer piece = into.duplicate();
        for (int p = from; p < end; p += READ_PIECE) {
            piece.limit(Math.min(end, p + READ_PIECE)).position(p);
            readFully(entry, at, piece, at.start + (p - from));
            piece.position(p);
            crc.update(piece);
        }
        verify(entry, at, (int) crc.getValue());
        into.position(end);
    }

    /** Positional reads through {@code scratch}; the crc32c accumulates chunk by chunk and is checked at the end. */
    @Override
    public void stream(TensorEntry entry, ByteBuffer scratch, Chunks consumer) throws IOException {
        Location at = locate(entry);
        if (scratch.capacity() == 0 && entry.size() > 0) {
            throw new IllegalArgumentException("reading tensor " + entry.name() + " through an empty scratch buffer");
        }
        CRC32C crc = new CRC32C();
        long pos = at.start;
        long end = at.start + entry.size();
        while (pos < end) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), end - pos));
            readFully(entry, at, scratch, pos);
            scratch.flip();
            crc.update(scratch);
            scratch.rewind();
            pos += scratch.remaining();
            consumer.accept(scratch.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
        }
        verify(entry, at, (int) crc.getValue());
    }

    /** Positional reads and mappings of a FileChannel are safe from any thread; nothing else here changes after opening. */
    @Override
    public boolean concurrentReads() {
        return true;
    }

    /** Where a tensor's bytes are, after every check that needs no data. */
    private record Location(ShardRegion shard, FileChannel channel, long start) {}

    private Location locate(TensorEntry entry) throws IOException {
        if (shards.isEmpty()) {
            throw new IllegalStateException("reader of " + indexName + " was opened without shards; it can only list tensors");
        }
        TfDataType type = TfDataType.ofName(entry.dtype());
        if (type == null || !type.fixedWidth()) {
            throw new CheckpointException("tensor " + entry.name() + " has dtype " + entry.dtype()
                    + ", whose variable-width encoding this reader does not decode");
        }
        if (entry.size() > Integer.MAX_VALUE) {
            throw new CheckpointException("tensor " + entry.name() + " is " + entry.size()
                    + " bytes, more than one ByteBuffer can hold");
        }
        if (entry.shardId() < 0 || entry.shardId() >= shards.size()) {
            throw new IllegalArgumentException("tensor " + entry.name() + " names shard " + entry.shardId()
                    + " but " + indexName + " has " + shards.size());
        }
        ShardRegion shard = shards.get(entry.shardId());
        FileChannel channel = channels.get(entry.shardId());
        if (shard.base() + entry.offset() + entry.size() > channel.size()) {
            throw new CheckpointException("tensor " + entry.name() + " lies beyond the end of shard " + shard.name()
                    + ", which is now " + (channel.size() - shard.base()) + " bytes (truncated after opening?)");
        }
        return new Location(shard, channel, shard.base() + entry.offset());
    }

    private static void readFully(TensorEntry entry, Location at, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = at.channel.read(into, position);
            if (n < 0) {
                throw new CheckpointException("tensor " + entry.name() + " in shard " + at.shard.name() + " ends at byte "
                        + (position - at.shard.base()) + ", before its last byte (shard truncated after opening?)");
            }
            position += n;
        }
    }

    private static void verify(TensorEntry entry, Location at, int crc32c) throws CheckpointException {
        int actual = Crc32c.mask(crc32c);
        if (actual != entry.crc32c()) {
            throw new CheckpointException(String.format(
                    "tensor %s in shard %s fails its crc32c check (index says 0x%08x, data gives 0x%08x): the shard is corrupt",
                    entry.name(), at.shard.name(), entry.crc32c(), actual));
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        channels.clear();
        if (first != null) {
            throw first;
        }
    }

    private static byte[] readIndex(Path indexFile) throws IOException {
        try {
            long size = Files.size(indexFile);
            if (size > BundleIndex.MAX_INDEX_BYTES) {
                throw new CheckpointException("checkpoint index " + indexFile + " is " + size + " bytes, more than the "
                        + BundleIndex.MAX_INDEX_BYTES + " an index can plausibly need; refusing to read it");
            }
            return Files.readAllBytes(indexFile);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("missing checkpoint index " + indexFile);
        }
    }

    private static FileChannel openChannel(ShardRegion shard) throws IOException {
        try {
            FileChannel channel = FileChannel.open(shard.file(), StandardOpenOption.READ);
            if (shard.base() + shard.length() > channel.size()) {
                long size = channel.size();
                channel.close();
                throw new CheckpointException("shard " + shard.name() + " should span bytes [" + shard.base() + ", "
                        + (shard.base() + shard.length()) + ") of " + shard.file() + ", which is " + size + " bytes");
            }
            return channel;
        } catch (NoSuchFileException e) {
            throw new CheckpointException("missing checkpoint shard " + shard.file());
        }
    }
}
