package net.gpt2j.converter.checkpoint;

/**
 * TensorFlow's DataType enum (tensorflow/core/framework/types.proto): the number stored in a
 * BundleEntryProto, the name {@link TensorEntry#dtype()} reports, and the bytes per element
 * (0 for types whose elements have no fixed width, which this reader lists but cannot read).
 */
public enum TfDataType {
    DT_FLOAT(1, 4), DT_DOUBLE(2, 8), DT_INT32(3, 4), DT_UINT8(4, 1), DT_INT16(5, 2), DT_INT8(6, 1),
    DT_STRING(7, 0), DT_COMPLEX64(8, 8), DT_INT64(9, 8), DT_BOOL(10, 1), DT_QINT8(11, 1), DT_QUINT8(12, 1),
    DT_QINT32(13, 4), DT_BFLOAT16(14, 2), DT_QINT16(15, 2), DT_QUINT16(16, 2), DT_UINT16(17, 2),
    DT_COMPLEX128(18, 16), DT_HALF(19, 2), DT_RESOURCE(20, 0), DT_VARIANT(21, 0), DT_UINT32(22, 4), DT_UINT64(23, 8);

    final int number;
    public final int elementSize;

    TfDataType(int number, int elementSize) {
        this.number = number;
        this.elementSize = elementSize;
    }

    boolean fixedWidth() {
        return elementSize > 0;
    }

    public static TfDataType ofNumber(long number) {
        for (TfDataType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        return null;
    }

    public static TfDataType ofName(String name) {
        for (TfDataType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
