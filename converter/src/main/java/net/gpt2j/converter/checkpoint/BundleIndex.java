package net.gpt2j.converter.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint's {@code .index} file decoded: the header and every tensor's entry, each checked for
 * self-consistency before anything is allocated for it. Field numbers are those of
 * {@code tensorflow/core/protobuf/tensor_bundle.proto} and {@code framework/tensor_shape.proto}:
 *
 * <pre>
 * BundleHeaderProto { int32 num_shards = 1; Endianness endianness = 2; VersionDef version = 3; }
 * VersionDef        { int32 producer = 1; int32 min_consumer = 2; repeated int32 bad_consumers = 3; }
 * BundleEntryProto  { DataType dtype = 1; TensorShapeProto shape = 2; int32 shard_id = 3;
 *                     int64 offset = 4; int64 size = 5; fixed32 crc32c = 6; repeated TensorSliceProto slices = 7; }
 * TensorShapeProto  { repeated Dim dim = 2; bool unknown_rank = 3; }   Dim { int64 size = 1; string name = 2; }
 * </pre>
 */
public record BundleIndex(BundleHeader header, List<TensorEntry> entries) {

    /** Above this an index cannot be a GPT-2 checkpoint's (OpenAI's 1558M index is ~20 KB). */
    public static final long MAX_INDEX_BYTES = 64L << 20;

    /** Decodes and validates an index; {@code fileName} names it in error messages. */
    public static BundleIndex parse(byte[] indexFile, String fileName) throws CheckpointException {
        if (indexFile.length > MAX_INDEX_BYTES) {
            throw new CheckpointException("checkpoint index " + fileName + " is " + indexFile.length
                    + " bytes, more than the " + MAX_INDEX_BYTES + " an index can plausibly need; refusing to read it");
        }
        List<TableReader.Entry> table = TableReader.readAll(indexFile, fileName);
        if (table.isEmpty() || table.get(0).key().length != 0) {
            throw new CheckpointException("checkpoint index " + fileName + " is corrupt: it has no header entry (empty key)");
        }
        BundleHeader header = parseHeader(table.get(0).value(), fileName);
        List<TensorEntry> entries = new ArrayList<>();
        for (TableReader.Entry e : table.subList(1, table.size())) {
            String name = new String(e.key(), StandardCharsets.UTF_8);
            entries.add(parseEntry(name, e.value(), header, fileName));
        }
        return new BundleIndex(header, List.copyOf(entries));
    }

    /** The index file TensorFlow would write for this header and these entries (sorted by name). */
    public byte[] encode() {
        TableWriter table = new TableWriter();
        table.add(new byte[0], new ProtoWriter()
                .varintField(1, header.numShards())
                .varintField(2, header.endianness())
                .bytesField(3, header.version())
                .toByteArray());
        for (TensorEntry e : entries) {
            ProtoWriter shape = new ProtoWriter();
            for (long d : e.shape()) {
                shape.bytesField(2, new ProtoWriter().varintField(1, d).toByteArray());
            }
            TfDataType type = TfDataType.ofName(e.dtype());
            if (type == null) {
                throw new IllegalArgumentException("tensor " + e.name() + " has unknown dtype " + e.dtype());
            }
            table.add(e.name().getBytes(StandardCharsets.UTF_8), new ProtoWriter()
                    .varintField(1, type.number)
                    .bytesField(2, shape.toByteArray())
                    .varintField(3, e.shardId())
                    .varintField(4, e.offset())
                    .varintField(5, e.size())
                    .fixed32Field(6, e.crc32c())
                    .toByteArray());
        }
        return table.finish();
    }

    private static BundleHeader parseHeader(byte[] value, String fileName) throws CheckpointException {
        long numShards = 0;
        long endianness = 0;
        long producer = 0;
        byte[] version = new byte[0];
        try {
            ProtoReader r = new ProtoReader(value);
            while (r.hasMore()) {
                int tag = r.readTag();
                switch (tag) {
                    case 1 << 3 | ProtoReader.VARINT -> numShards = r.readVarint();
                    case 2 << 3 | ProtoReader.VARINT -> endianness = r.readVarint();
                    case 3 << 3 | ProtoReader.LENGTH_DELIMITED -> {
                        version = r.readBytes();
                        ProtoReader v = new ProtoReader(version);
                        while (v.hasMore()) {
                            int vtag = v.readTag();
                            if (vtag == (1 << 3 | ProtoReader.VARINT)) {
                                producer = v.readVarint();
                            } else {
                                v.skip(vtag);
                            }
                        }
                    }
                    default -> r.skip(tag);
                }
            }
        } catch (ProtoReader.MalformedException e) {
            throw new CheckpointException("checkpoint index " + fileName + " is corrupt: header entry does not parse: " + e.getMessage());
        }
        if (numShards < 1 || numShards > 100_000) {
            throw new CheckpointException("checkpoint index " + fileName + " claims " + numShards + " shards; expected 1 to 100000");
        }
        if (endianness != BundleHeader.LITTLE) {
            throw new CheckpointException("checkpoint index " + fileName
                    + " describes a big-endian checkpoint; only little-endian checkpoints are supported");
        }
        return new BundleHeader((int) numShards, (int) endianness, (int) producer, version);
    }

    private static TensorEntry parseEntry(String name, byte[] value, BundleHeader header, String fileName)
            throws CheckpointException {
        long dtype = 0;
        List<Long> dims = new ArrayList<>();
        long shardId = 0;
        long offset = 0;
        long size = 0;
        int crc = 0;
        boolean sliced = false;
        try {
            ProtoReader r = new ProtoReader(value);
            while (r.hasMore()) {
                int tag = r.readTag();
                switch (tag) {
                    case 1 << 3 | ProtoReader.VARINT -> dtype = r.readVarint();
                    case 2 << 3 | ProtoReader.LENGTH_DELIMITED -> parseShape(r.readMessage(), dims);
                    case 3 << 3 | ProtoReader.VARINT -> shardId = r.readVarint();
                    case 4 << 3 | ProtoReader.VARINT -> offset = r.readVarint();
                    case 5 << 3 | ProtoReader.VARINT -> size = r.readVarint();
                    case 6 << 3 | ProtoReader.FIXED32 -> crc = r.readFixed32();
                    case 7 << 3 | ProtoReader.LENGTH_DELIMITED -> {
                        sliced = true;
                        r.skip(tag);
                    }
                    default -> r.skip(tag);
                }
            }
        } catch (ProtoReader.MalformedException e) {
            throw entryError(fileName, name, "entry does not parse: " + e.getMessage());
        }
        if (sliced) {
            throw entryError(fileName, name, "tensor is stored as slices (partitioned variable), which is not supported");
        }
        TfDataType type = TfDataType.ofNumber(dtype);
        if (type == null) {
            throw entryError(fileName, name, "unknown dtype number " + dtype);
        }
        long[] shape = new long[dims.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
            if (shape[i] < 0) {
                throw entryError(fileName, name, "dimension " + i + " is negative (" + shape[i] + ")");
            }
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException overflow) {
                throw entryError(fileName, name, "shape " + dims + " has more elements than a long holds");
            }
        }
        if (shardId < 0 || shardId >= header.numShards()) {
            throw entryError(fileName, name, "shard_id " + shardId + " is not below num_shards " + header.numShards());
        }
        if (offset < 0 || size < 0 || offset > Long.MAX_VALUE - size) {
            throw entryError(fileName, name, "offset " + offset + " / size " + size + " are not a valid byte range");
        }
        if (type.fixedWidth()) {
            long expected;
            try {
                expected = Math.multiplyExact(elements, type.elementSize);
            } catch (ArithmeticException overflow) {
                throw entryError(fileName, name, "shape " + dims + " overflows a byte count");
            }
            if (size != expected) {
                throw entryError(fileName, name, "size " + size + " bytes does not match shape " + dims + " of "
                        + type.name() + " (" + expected + " bytes)");
            }
        }
        return new TensorEntry(name, type.name(), shape, (int) shardId, offset, size, crc);
    }

    private static void parseShape(ProtoReader r, List<Long> dims) throws ProtoReader.MalformedException {
        while (r.hasMore()) {
            int tag = r.readTag();
            if (tag == (2 << 3 | ProtoReader.LENGTH_DELIMITED)) {
                ProtoReader dim = r.readMessage();
                long size = 0;
                while (dim.hasMore()) {
                    int dtag = dim.readTag();
                    if (dtag == (1 << 3 | ProtoReader.VARINT)) {
                        size = dim.readVarint();
                    } else {
                        dim.skip(dtag);
                    }
                }
                dims.add(size);
            } else if (tag == (3 << 3 | ProtoReader.VARINT)) {
                if (r.readVarint() != 0) {
                    throw new ProtoReader.MalformedException("shape has unknown rank");
                }
            } else {
                r.skip(tag);
            }
        }
    }

    private static CheckpointException entryError(String fileName, String tensor, String detail) {
        return new CheckpointException("checkpoint index " + fileName + ": tensor " + tensor + ": " + detail);
    }
}
