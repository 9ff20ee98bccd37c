package net.gpt2j.converter.checkpoint;

import java.io.ByteArrayOutputStream;

/**
 * The protobuf encodings {@link BundleIndex} writes, in field-number order and with proto3's
 * rule that scalar fields holding their default value are left out, which is what TensorFlow's
 * generated {@code SerializeAsString} produces, so a rewritten index matches TF's byte for byte.
 */
final class ProtoWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varintField(int field, long value) {
        if (value != 0) {
            tag(field, ProtoReader.VARINT);
            varint(value);
        }
        return this;
    }

    ProtoWriter fixed32Field(int field, int value) {
        if (value != 0) {
            tag(field, ProtoReader.FIXED32);
            out.write(value);
            out.write(value >>> 8);
            out.write(value >>> 16);
            out.write(value >>> 24);
        }
        return this;
    }

    /** A sub-message or bytes field; written even when empty (a set sub-message is present in proto3). */
    ProtoWriter bytesField(int field, byte[] value) {
        tag(field, ProtoReader.LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
