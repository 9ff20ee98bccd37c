package net.gpt2j.converter.checkpoint;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C as TensorFlow (and LevelDB) store it. Both the table block trailers and the
 * BundleEntryProto.crc32c field hold the <em>masked</em> form: a checksum of data that itself
 * contains checksums is weak, so LevelDB rotates and offsets it.
 */
final class Crc32c {

    private static final int MASK_DELTA = 0xa282ead8;

    private Crc32c() {}

    static int of(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    static int of(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }
}
