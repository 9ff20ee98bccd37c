package net.gpt2j.converter.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads every key/value of a LevelDB-format table (TensorFlow's {@code tensorflow/core/lib/io/table}),
 * the container of a checkpoint's {@code .index} file.
 *
 * <p>Layout: data blocks, a metaindex block, an index block whose values are BlockHandles of the
 * data blocks, and a 48-byte footer (two varint BlockHandles padded to 40 bytes, then the magic
 * number). Each block is followed by a 5-byte trailer: compression type and the masked crc32c of
 * block + type. A block holds prefix-compressed entries (varint shared, non-shared and value
 * lengths, the key's non-shared tail, the value) and ends with a restart array (fixed32 offsets and
 * their fixed32 count).
 *
 * <p>Everything is checked against the file before use, so a corrupt index fails with a message
 * naming the file instead of reading out of bounds: handles must lie inside the file, trailers must
 * match, keys must be strictly increasing.
 */
final class TableReader {

    static final long MAGIC = 0xdb4775248b80fb57L;
    static final int FOOTER_LENGTH = 48;
    static final int BLOCK_TRAILER_LENGTH = 5;
    static final byte NO_COMPRESSION = 0;

    /** One table entry. */
    record Entry(byte[] key, byte[] value) {}

    private final byte[] file;
    private final String fileName;

    private TableReader(byte[] file, String fileName) {
        this.file = file;
        this.fileName = fileName;
    }

    /** All entries of the table, in key order. {@code fileName} is used in error messages only. */
    static List<Entry> readAll(byte[] file, String fileName) throws CheckpointException {
        return new TableReader(file, fileName).readAll();
    }

    private List<Entry> readAll() throws CheckpointException {
        if (file.length < FOOTER_LENGTH) {
            throw corrupt("it is " + file.length + " bytes, shorter than the " + FOOTER_LENGTH + "-byte table footer");
        }
        int footer = file.length - FOOTER_LENGTH;
        long magic = fixed32(footer + 40) & 0xffffffffL | (fixed32(footer + 44) & 0xffffffffL) << 32;
        if (magic != MAGIC) {
            throw corrupt(String.format("footer magic is 0x%016x, expected 0x%016x (not a TF table?)", magic, MAGIC));
        }
        int[] pos = {footer};
        long[] metaindex = blockHandle(pos, footer + 40, "metaindex");
        long[] index = blockHandle(pos, footer + 40, "index");
        checkHandle(metaindex, "metaindex");

        List<Entry> entries = new ArrayList<>();
        for (Entry indexEntry : blockEntries(index, "index block")) {
            int[] p = {0};
            long[] data = varintHandle(indexEntry.value(), p, "index entry");
            for (Entry e : blockEntries(data, "data block at offset " + data[0])) {
                if (!entries.isEmpty() && Arrays.compareUnsigned(entries.get(entries.size() - 1).key(), e.key()) >= 0) {
                    throw corrupt("keys are not sorted: \"" + keyText(e.key()) + "\" follows \""
                            + keyText(entries.get(entries.size() - 1).key()) + "\"");
                }
                entries.add(e);
            }
        }
        return entries;
    }

    private List<Entry> blockEntries(long[] handle, String what) throws CheckpointException {
        checkHandle(handle, what);
        int start = (int) handle[0];
        int size = (int) handle[1];
        byte type = file[start + size];
        int storedCrc = fixed32(start + size + 1);
        int actualCrc = Crc32c.mask(Crc32c.of(file, start, size + 1));
        if (storedCrc != actualCrc) {
            throw corrupt(String.format("%s: crc32c mismatch (stored 0x%08x, computed 0x%08x)", what, storedCrc, actualCrc));
        }
        if (type != NO_COMPRESSION) {
            throw corrupt(what + " uses compression type " + type
                    + " (1 = snappy); only uncompressed tables are supported, as TensorFlow writes them");
        }
        if (size < 4) {
            throw corrupt(what + " is " + size + " bytes, too short for its restart count");
        }
        long numRestarts = fixed32(start + size - 4) & 0xffffffffL;
        long restartBytes = (numRestarts + 1) * 4;
        if (numRestarts == 0 || restartBytes > size) {
            throw corrupt(what + " claims " + numRestarts + " restart points, impossible in " + size + " bytes");
        }
        int end = start + size - (int) restartBytes;

        List<Entry> out = new ArrayList<>();
        byte[] previous = new byte[0];
        int[] p = {start};
        while (p[0] < end) {
            long shared = varint(p, end, what);
            long nonShared = varint(p, end, what);
            long valueLength = varint(p, end, what);
            if (shared > previous.length || nonShared > end - p[0] || valueLength > end - p[0] - nonShared) {
                throw corrupt(what + ": entry at byte " + p[0] + " has lengths (shared " + shared + ", key " + nonShared
                        + ", value " + valueLength + ") that do not fit the block");
            }
            byte[] key = Arrays.copyOf(previous, (int) (shared + nonShared));
            System.arraycopy(file, p[0], key, (int) shared, (int) nonShared);
            p[0] += (int) nonShared;
            byte[] value = Arrays.copyOfRange(file, p[0], p[0] + (int) valueLength);
            p[0] += (int) valueLength;
            out.add(new Entry(key, value));
            previous = key;
        }
        return out;
    }

    private void checkHandle(long[] handle, String what) throws CheckpointException {
        long limit = file.length - FOOTER_LENGTH;
        if (handle[0] < 0 || handle[1] < 0 || handle[0] > limit || handle[1] > limit - handle[0] - BLOCK_TRAILER_LENGTH) {
            throw corrupt(what + " handle (offset " + handle[0] + ", size " + handle[1] + ") lies outside the "
                    + limit + " bytes before the footer");
        }
    }

    private long[] blockHandle(int[] pos, int end, String what) throws CheckpointException {
        return new long[] {varint(pos, end, what + " handle"), varint(pos, end, what + " handle")};
    }

    private long[] varintHandle(byte[] bytes, int[] pos, String what) throws CheckpointException {
        ProtoReader r = new ProtoReader(bytes);
        try {
            return new long[] {r.readVarint(), r.readVarint()};
        } catch (ProtoReader.MalformedException e) {
            throw corrupt(what + ": " + e.getMessage());
        }
    }

    private long varint(int[] pos, int end, String what) throws CheckpointException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= end) {
                throw corrupt(what + ": varint runs past the end at byte " + pos[0]);
            }
            byte b = file[pos[0]++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw corrupt(what + ": varint longer than 10 bytes");
    }

    private int fixed32(int at) {
        return (file[at] & 0xff) | (file[at + 1] & 0xff) << 8 | (file[at + 2] & 0xff) << 16 | (file[at + 3] & 0xff) << 24;
    }

    private CheckpointException corrupt(String detail) {
        return new CheckpointException("checkpoint index " + fileName + " is corrupt: " + detail);
    }

    static String keyText(byte[] key) {
        return new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }
}
