package net.gpt2j.format.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.gpt2j.format.TensorSpec;

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
    private static final JsonFactory JSON = new JsonFactory();

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

    /**
     * Lays the tensors out back to back, in the order given. Written with Jackson's streaming
     * generator: loading databind's ObjectMapper for it took 0.15 s of a 124M conversion.
     */
    public static SafetensorsHeader layout(List<TensorSpec> specs, Map<String, String> metadata) {
        long[] begins = new long[specs.size()];
        long offset = 0;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Set<String> names = new HashSet<>();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            for (int i = 0; i < specs.size(); i++) {
                TensorSpec s = specs.get(i);
                if (s.name().equals(METADATA_KEY) || !names.add(s.name())) {
                    throw new IllegalArgumentException("tensor name '" + s.name() + "' is reserved or given twice");
                }
                for (long d : s.shape()) {
                    if (d < 0) {
                        throw new IllegalArgumentException("tensor " + s.name() + " has a negative dimension: " + s.shapeString());
                    }
                }
                g.writeObjectFieldStart(s.name());
                g.writeStringField("dtype", DTYPE_F32);
                g.writeArrayFieldStart("shape");
                for (long d : s.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                begins[i] = offset;
                offset = Math.addExact(offset, s.byteSize());
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(begins[i]);
                g.writeNumber(offset);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a safetensors header into memory", e);
        }
        byte[] json = text.toByteArray();
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
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
