package net.gpt2j.converter.checkpoint;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a LevelDB-format table the way TensorFlow's {@code table::TableBuilder} does with the
 * options a checkpoint index uses (no compression, 256 KiB blocks, a restart point every 16 keys,
 * every key in the index block), so its output is byte-identical to TF's for the same entries.
 * See {@link TableReader} for the layout. Keys must be added in strictly increasing order.
 */
final class TableWriter {

    private static final int BLOCK_SIZE = 262144;
    private static final int RESTART_INTERVAL = 16;

    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private final BlockBuilder dataBlock = new BlockBuilder(RESTART_INTERVAL);
    private final BlockBuilder indexBlock = new BlockBuilder(1);
    private byte[] lastKey = null;
    private long[] pendingHandle = null;

    void add(byte[] key, byte[] value) {
        if (lastKey != null && Arrays.compareUnsigned(lastKey, key) >= 0) {
            throw new IllegalArgumentException("table keys must be added in increasing order: \""
                    + TableReader.keyText(key) + "\" after \"" + TableReader.keyText(lastKey) + "\"");
        }
        if (pendingHandle != null) {
            indexBlock.add(shortestSeparator(lastKey, key), encodeHandle(pendingHandle));
            pendingHandle = null;
        }
        dataBlock.add(key, value);
        lastKey = key;
        if (dataBlock.sizeEstimate() >= BLOCK_SIZE) {
            flush();
        }
    }

    byte[] finish() {
        flush();
        long[] metaindex = writeBlock(new BlockBuilder(RESTART_INTERVAL));
        if (pendingHandle != null) {
            indexBlock.add(shortSuccessor(lastKey), encodeHandle(pendingHandle));
            pendingHandle = null;
        }
        long[] index = writeBlock(indexBlock);
        byte[] footer = new byte[TableReader.FOOTER_LENGTH];
        byte[] handles = concat(encodeHandle(metaindex), encodeHandle(index));
        System.arraycopy(handles, 0, footer, 0, handles.length);
        putFixed32(footer, 40, (int) TableReader.MAGIC);
        putFixed32(footer, 44, (int) (TableReader.MAGIC >>> 32));
        file.writeBytes(footer);
        return file.toByteArray();
    }

    private void flush() {
        if (dataBlock.isEmpty()) {
            return;
        }
        pendingHandle = writeBlock(dataBlock);
    }

    private long[] writeBlock(BlockBuilder block) {
        byte[] contents = block.finish();
        long offset = file.size();
        file.writeBytes(contents);
        byte[] trailer = new byte[TableReader.BLOCK_TRAILER_LENGTH];
        trailer[0] = TableReader.NO_COMPRESSION;
        byte[] withType = Arrays.copyOf(contents, contents.length + 1);
        withType[contents.length] = TableReader.NO_COMPRESSION;
        putFixed32(trailer, 1, Crc32c.mask(Crc32c.of(withType, 0, withType.length)));
        file.writeBytes(trailer);
        block.reset();
        return new long[] {offset, contents.length};
    }

    /** LevelDB's BytewiseComparator::FindShortestSeparator: a short key in [start, limit). */
    private static byte[] shortestSeparator(byte[] start, byte[] limit) {
        int minLength = Math.min(start.length, limit.length);
        int diff = 0;
        while (diff < minLength && start[diff] == limit[diff]) {
            diff++;
        }
        if (diff < minLength) {
            int diffByte = start[diff] & 0xff;
            if (diffByte < 0xff && diffByte + 1 < (limit[diff] & 0xff)) {
                byte[] out = Arrays.copyOf(start, diff + 1);
                out[diff]++;
                return out;
            }
        }
        return start;
    }

    /** LevelDB's BytewiseComparator::FindShortSuccessor: a short key >= {@code key}. */
    private static byte[] shortSuccessor(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if ((key[i] & 0xff) != 0xff) {
                byte[] out = Arrays.copyOf(key, i + 1);
                out[i]++;
                return out;
            }
        }
        return key;
    }

    private static byte[] encodeHandle(long[] handle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        putVarint(out, handle[0]);
        putVarint(out, handle[1]);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static void putVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static void putFixed32(byte[] dst, int at, int v) {
        dst[at] = (byte) v;
        dst[at + 1] = (byte) (v >>> 8);
        dst[at + 2] = (byte) (v >>> 16);
        dst[at + 3] = (byte) (v >>> 24);
    }

    /** LevelDB's BlockBuilder: prefix-compressed entries plus the restart array. */
    private static final class BlockBuilder {
        private final int restartInterval;
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final List<Integer> restarts = new ArrayList<>(List.of(0));
        private int counter = 0;
        private byte[] lastKey = new byte[0];

        BlockBuilder(int restartInterval) {
            this.restartInterval = restartInterval;
        }

        boolean isEmpty() {
            return buffer.size() == 0;
        }

        int sizeEstimate() {
            return buffer.size() + restarts.size() * 4 + 4;
        }

        void add(byte[] key, byte[] value) {
            int shared = 0;
            if (counter < restartInterval) {
                int min = Math.min(lastKey.length, key.length);
                while (shared < min && lastKey[shared] == key[shared]) {
                    shared++;
                }
            } else {
                restarts.add(buffer.size());
                counter = 0;
            }
            putVarint(buffer, shared);
            putVarint(buffer, key.length - shared);
            putVarint(buffer, value.length);
            buffer.write(key, shared, key.length - shared);
            buffer.writeBytes(value);
            lastKey = key;
            counter++;
        }

        byte[] finish() {
            byte[] tail = new byte[restarts.size() * 4 + 4];
            for (int i = 0; i < restarts.size(); i++) {
                putFixed32(tail, i * 4, restarts.get(i));
            }
            putFixed32(tail, restarts.size() * 4, restarts.size());
            buffer.writeBytes(tail);
            return buffer.toByteArray();
        }

        void reset() {
            buffer = new ByteArrayOutputStream();
            restarts.clear();
            restarts.add(0);
            counter = 0;
            lastKey = new byte[0];
        }
    }
}
