package net.gpt2j.converter.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.mapping.TensorSpec;

/**
 * The JSON header of a safetensors file and where each tensor's bytes go: the layout both the
 * writer (which precomputes it) and the tests agree on.
 *
 * <pre>
 * [8 bytes: header length N, little-endian u64][N bytes: JSON, space-padded][data]
 * JSON: {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}
 * </pre>
 *
 * Offsets are relative to the start of the data. The padding to a multiple of 8 bytes is what the
 * Python/Rust library writes, so the data (and every float32 tensor) starts 8-byte aligned.
 */
public final class SafetensorsHeader {

    public static final String DTYPE_F32 = "F32";
    public static final String METADATA_KEY = "__metadata__";
    static final int ALIGNMENT = 8;

    private final List<TensorSpec> specs;
    private final long[] begins;
    private final byte[] headerBytes;
    private final long dataLength;

    private SafetensorsHeader(List<TensorSpec> specs, long[] begins, byte[] headerBytes, long dataLength) {
        this.specs = specs;
        this.begins = begins;
        this.headerBytes = headerBytes;
        this.dataLength = dataLength;
    }

    /** Lays the tensors out back to back, in the order given. */
    public static SafetensorsHeader layout(List<TensorSpec> specs, Map<String, String> metadata) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long[] begins = new long[specs.size()];
        long offset = 0;
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec s = specs.get(i);
            if (s.name().equals(METADATA_KEY) || root.has(s.name())) {
                throw new IllegalArgumentException("tensor name '" + s.name() + "' is reserved or given twice");
            }
            for (long d : s.shape()) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor " + s.name() + " has a negative dimension: " + s.shapeString());
                }
            }
            ObjectNode entry = root.putObject(s.name());
            entry.put("dtype", DTYPE_F32);
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(s.shape()).forEach(shape::add);
            begins[i] = offset;
            offset = Math.addExact(offset, s.byteSize());
            entry.putArray("data_offsets").add(begins[i]).add(offset);
        }
        byte[] text = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] header = Arrays.copyOf(text, padded);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return new SafetensorsHeader(List.copyOf(specs), begins, header, offset);
    }

    public List<TensorSpec> specs() {
        return specs;
    }

    /** The header's JSON bytes, padded (without the 8-byte length prefix). */
    public byte[] headerBytes() {
        return headerBytes.clone();
    }

    /** Where tensor {@code index}'s bytes start in the file. */
    public long fileOffsetOf(int index) {
        return 8L + headerBytes.length + begins[index];
    }

    public long fileSize() {
        return 8L + headerBytes.length + dataLength;
    }
}
