package net.gpt2j.converter.checkpoint;

/**
 * The few protobuf wire-format reads that BundleHeaderProto and BundleEntryProto need, so the
 * default reader does not depend on TensorFlow's generated classes. Every read is bounds-checked
 * and throws {@link MalformedException}, which callers turn into a message naming the file.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** A protobuf message that does not parse; the caller adds which file and entry. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private final byte[] buf;
    private int pos;
    private final int end;

    ProtoReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    boolean hasMore() {
        return pos < end;
    }

    /** Reads the next tag; its field number is {@code tag >>> 3} and wire type {@code tag & 7}. */
    int readTag() throws MalformedException {
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE) {
            throw new MalformedException("invalid field tag " + tag + " at byte " + pos);
        }
        return (int) tag;
    }

    long readVarint() throws MalformedException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new MalformedException("varint runs past the end of the message");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedException("varint longer than 10 bytes");
    }

    int readFixed32() throws MalformedException {
        require(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    /** A length-delimited field's content as a reader of its own (the sub-message). */
    ProtoReader readMessage() throws MalformedException {
        long length = readVarint();
        if (length < 0 || length > end - pos) {
            throw new MalformedException("length-delimited field of " + length + " bytes runs past the end of the message");
        }
        ProtoReader sub = new ProtoReader(buf, pos, (int) length);
        pos += (int) length;
        return sub;
    }

    byte[] readBytes() throws MalformedException {
        ProtoReader sub = readMessage();
        byte[] out = new byte[sub.end - sub.pos];
        System.arraycopy(buf, sub.pos, out, 0, out.length);
        return out;
    }

    /** Skips a field this reader does not need (proto3 readers must tolerate unknown fields). */
    void skip(int tag) throws MalformedException {
        switch (tag & 7) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                require(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> readMessage();
            case FIXED32 -> {
                require(4);
                pos += 4;
            }
            default -> throw new MalformedException("unsupported wire type " + (tag & 7) + " for field " + (tag >>> 3));
        }
    }

    private void require(int n) throws MalformedException {
        if (end - pos < n) {
            throw new MalformedException("field needs " + n + " bytes but the message ends after " + (end - pos));
        }
    }
}
