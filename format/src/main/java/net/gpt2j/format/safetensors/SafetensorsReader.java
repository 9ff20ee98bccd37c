package net.gpt2j.format.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.TensorSpec;

/**
 * Reads a safetensors file of float tensors. F32 tensors are read without copying: each is a
 * read-only, little-endian view of the memory-mapped file. F16 and BF16 tensors (as the hub holds
 * many fine-tunes) are upcast to float32 on reading, which is exact: every half value is a float. Everything the header claims is checked against
 * the file before anything is mapped or allocated (header size, dtype, shape against offsets, the
 * offsets tiling the data area exactly), because the header is untrusted input.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** A header longer than this is refused before it is read (the Python library uses 100 MB too). */
    public static final long MAX_HEADER_BYTES = 100L * 1000 * 1000;
    public static final String DTYPE_F16 = "F16";
    public static final String DTYPE_BF16 = "BF16";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Where one tensor's bytes are, as file offsets. */
    private record Placement(TensorSpec spec, String dtype, long fileOffset, long byteSize) {}

    private final Path file;
    private final FileChannel channel;
    private final Map<String, Placement> tensors;
    private final Map<String, String> metadata;
    private final Map<Placement, ByteBuffer> mappings = new HashMap<>();

    private SafetensorsReader(Path file, FileChannel channel, Map<String, Placement> tensors, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new SafetensorsException(file + " is " + fileSize + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, file);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (8 + headerLength > fileSize) {
                throw new SafetensorsException(file + ": header length " + headerLength
                        + " runs beyond the end of the file (" + fileSize + " bytes)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8, file);
            long dataStart = 8 + headerLength;
            JsonNode root = parse(headerBytes.array(), file);
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                    readMetadata(field.getValue(), metadata, file);
                } else {
                    entries.add(Entry.parse(field.getKey(), field.getValue(), file));
                }
            }
            Map<String, Placement> tensors = place(entries, fileSize - dataStart, dataStart, file);
            return new SafetensorsReader(file, channel, tensors, Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The tensors, in the order their bytes appear in the file. */
    public List<TensorSpec> tensors() {
        List<TensorSpec> out = new ArrayList<>();
        tensors.values().forEach(p -> out.add(p.spec()));
        return out;
    }

    public TensorSpec spec(String name) throws SafetensorsException {
        return placement(name).spec();
    }

    /** The tensor's stored dtype: F32, F16 or BF16. */
    public String dtype(String name) throws SafetensorsException {
        return placement(name).dtype();
    }

    /**
     * The tensor's bytes as stored (little-endian, its own dtype), mapped from the file: for checksums,
     * and for a runtime that uses float32 weights in place. Every call returns a new view of the same
     * mapping (see {@link #mapping}).
     */
    public ByteBuffer bytes(String name) throws IOException {
        return mapping(placement(name));
    }

    public Path file() {
        return file;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * A read-only little-endian view of one tensor's values, mapped from the file (no copy). Valid
     * while the mapping lives; the JVM keeps it alive as long as the buffer is reachable.
     */
    public FloatBuffer floats(String name) throws IOException {
        Placement p = placement(name);
        ByteBuffer bytes = mapping(p);
        switch (p.dtype()) {
            case SafetensorsHeader.DTYPE_F32:
                return bytes.asFloatBuffer();
            case DTYPE_F16:
                return HalfFloats.fromF16(bytes.asShortBuffer());
            case DTYPE_BF16:
                return HalfFloats.fromBf16(bytes.asShortBuffer());
            default:
                throw new AssertionError(p.dtype());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * A fresh little-endian view of the tensor's one mapping, made on first use. One mapping per
     * tensor, not one per call: the pages a checksum pass touches are then the pages a runtime using
     * the weights in place reads, already in this process's page tables, instead of a second mapping
     * of the same file faulting every page in again on the first forward.
     */
    private synchronized ByteBuffer mapping(Placement p) throws IOException {
        ByteBuffer mapped = mappings.get(p);
        if (mapped == null) {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, p.fileOffset(), p.byteSize());
            mappings.put(p, mapped);
        }
        return mapped.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private Placement placement(String name) throws SafetensorsException {
        Placement p = tensors.get(name);
        if (p == null) {
            throw new SafetensorsException(file + " has no tensor " + name);
        }
        return p;
    }

    /** One header entry as claimed, before it is checked against its neighbours. */
    private record Entry(TensorSpec spec, String dtype, long begin, long end) {

        static Entry parse(String name, JsonNode node, Path file) throws SafetensorsException {
            String where = file + ": tensor " + name;
            if (!node.isObject()) {
                throw new SafetensorsException(where + " must be a JSON object, got " + node);
            }
            JsonNode dtype = node.get("dtype");
            if (dtype == null || !dtype.isTextual()) {
                throw new SafetensorsException(where + " has no \"dtype\" string");
            }
            int elementBytes;
            switch (dtype.textValue()) {
                case SafetensorsHeader.DTYPE_F32:
                    elementBytes = 4;
                    break;
                case DTYPE_F16:
                case DTYPE_BF16:
                    elementBytes = 2;
                    break;
                default:
                    throw new SafetensorsException(where + " has dtype " + dtype.textValue()
                            + ", expected F32, F16 or BF16");
            }
            long[] shape = longs(node.get("shape"), "shape", -1, where);
            long[] offsets = longs(node.get("data_offsets"), "data_offsets", 2, where);
            long bytes;
            try {
                long elements = 1;
                for (long d : shape) {
                    elements = Math.multiplyExact(elements, d);
                }
                bytes = Math.multiplyExact(elements, (long) elementBytes);
            } catch (ArithmeticException e) {
                throw new SafetensorsException(where + ": shape " + java.util.Arrays.toString(shape) + " overflows");
            }
            if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes) {
                throw new SafetensorsException(where + ": shape " + java.util.Arrays.toString(shape) + " needs " + bytes
                        + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1] + "] span " + (offsets[1] - offsets[0]));
            }
            return new Entry(new TensorSpec(name, shape), dtype.textValue(), offsets[0], offsets[1]);
        }

        private static long[] longs(JsonNode node, String key, int expectedLength, String where) throws SafetensorsException {
            if (node == null || !node.isArray() || (expectedLength >= 0 && node.size() != expectedLength)) {
                throw new SafetensorsException(where + ": \"" + key + "\" must be an array"
                        + (expectedLength >= 0 ? " of " + expectedLength + " integers" : " of integers") + ", got " + node);
            }
            long[] out = new long[node.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode v = node.get(i);
                if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                    throw new SafetensorsException(where + ": \"" + key + "\" must hold non-negative integers, got " + node);
                }
                out[i] = v.longValue();
            }
            return out;
        }
    }

    /** Checks the entries tile [0, dataLength) exactly (no hole, no overlap, nothing outside) and places them. */
    private static Map<String, Placement> place(List<Entry> entries, long dataLength, long dataStart, Path file)
            throws SafetensorsException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Map<String, Placement> out = new LinkedHashMap<>();
        long expected = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.end() > dataLength) {
                throw new SafetensorsException(file + ": tensor " + e.spec().name() + " data_offsets [" + e.begin() + ", "
                        + e.end() + "] lie outside the data area of " + dataLength + " bytes");
            }
            if (e.begin() < expected) {
                throw new SafetensorsException(file + ": tensor " + e.spec().name() + " data_offsets [" + e.begin()
                        + ", " + e.end() + "] overlap tensor " + previous + ", which ends at " + expected);
            }
            if (e.begin() > expected) {
                throw new SafetensorsException(file + ": tensor " + e.spec().name() + " starts at " + e.begin()
                        + " leaving a hole after " + (previous == null ? "the header" : "tensor " + previous)
                        + ", which ends at " + expected);
            }
            out.put(e.spec().name(), new Placement(e.spec(), e.dtype(), dataStart + e.begin(), e.end() - e.begin()));
            expected = e.end();
            previous = e.spec().name();
        }
        if (expected != dataLength) {
            throw new SafetensorsException(file + ": the tensors end at data offset " + expected + " but the data area holds "
                    + dataLength + " bytes (trailing bytes or a truncated header)");
        }
        return out;
    }

    private static JsonNode parse(byte[] header, Path file) throws SafetensorsException {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsException(file + ": header cannot be parsed: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(file + ": header must be a JSON object");
        }
        return root;
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, Path file) throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(file + ": __metadata__ must be an object of strings, got " + node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new SafetensorsException(file + ": __metadata__ value of \"" + f.getKey() + "\" must be a string, got " + f.getValue());
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new SafetensorsException(file + " ended while reading its header");
            }
            position += n;
        }
    }
}
