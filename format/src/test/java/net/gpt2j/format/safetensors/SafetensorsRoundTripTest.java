package net.gpt2j.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import net.gpt2j.format.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    static final List<TensorSpec> SPECS = List.of(
            new TensorSpec("a", new long[] {2, 3}),
            new TensorSpec("b.bias", new long[] {5}),
            new TensorSpec("empty", new long[] {0, 4}),
            new TensorSpec("c", new long[] {3, 1, 2}));

    static float[] values(TensorSpec s, float base) {
        float[] v = new float[(int) s.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = base + i * 0.25f - (i % 2 == 0 ? Float.MIN_VALUE : 0f);
        }
        return v;
    }

    private Path writeAll(Path file) throws Exception {
        try (SafetensorsWriter w = SafetensorsWriter.create(file, SPECS, Map.of("format", "pt"))) {
            // arrival order differs from layout order: positional writes must put each at its place
            for (int i = SPECS.size() - 1; i >= 0; i--) {
                w.write(SPECS.get(i).name(), values(SPECS.get(i), i * 10));
            }
            w.finish();
        }
        return file;
    }

    @Test
    void tensorsWrittenInAnyOrderReadBackWithNamesShapesValuesAndMetadata() throws Exception {
        Path file = writeAll(dir.resolve("m.safetensors"));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertThat(r.metadata()).containsExactlyEntriesOf(Map.of("format", "pt"));
            assertThat(r.tensors()).extracting(TensorSpec::name).containsExactly("a", "b.bias", "empty", "c");
            for (int i = 0; i < SPECS.size(); i++) {
                TensorSpec s = SPECS.get(i);
                assertThat(r.spec(s.name()).shape()).containsExactly(s.shape());
                FloatBuffer f = r.floats(s.name());
                float[] got = new float[f.remaining()];
                f.get(got);
                assertThat(got).containsExactly(values(s, i * 10));
            }
        }
    }

    @Test
    void fileFollowsTheSafetensorsFormatByteForByte() throws Exception {
        Path file = writeAll(dir.resolve("m.safetensors"));
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).as("header padded to 8 bytes like the Python library").isZero();
        String header = new String(bytes, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(header).startsWith("{").endsWith(" ".repeat(header.length() - header.stripTrailing().length()));
        JsonNode json = new ObjectMapper().readTree(header);
        assertThat(json.get("__metadata__").get("format").asText()).isEqualTo("pt");
        assertThat(json.get("a").get("dtype").asText()).isEqualTo("F32");
        assertThat(json.get("a").get("shape").toString()).isEqualTo("[2,3]");
        assertThat(json.get("a").get("data_offsets").toString()).isEqualTo("[0,24]");
        assertThat(json.get("b.bias").get("data_offsets").toString()).isEqualTo("[24,44]");
        assertThat(json.get("empty").get("data_offsets").toString()).isEqualTo("[44,44]");
        assertThat(json.get("c").get("data_offsets").toString()).isEqualTo("[44,68]");
        assertThat(bytes.length).isEqualTo(8 + n + 68);
        // b.bias[1] little-endian at data offset 24 + 4
        float b1 = ByteBuffer.wrap(bytes, (int) (8 + n + 28), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertThat(b1).isEqualTo(values(SPECS.get(1), 10)[1]);
    }

    @Test
    void writeReturnsTheCrc32cOfTheTensorsBytes() throws Exception {
        Path file = dir.resolve("m.safetensors");
        int crc;
        try (SafetensorsWriter w = SafetensorsWriter.create(file, List.of(SPECS.get(0)), Map.of())) {
            crc = w.write("a", values(SPECS.get(0), 1));
            w.finish();
        }
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        CRC32C want = new CRC32C();
        want.update(bytes, (int) (8 + n), 24);
        assertThat(crc).isEqualTo((int) want.getValue());
    }

    @Test
    void largeTensorSpanningSeveralWriteChunksRoundTrips() throws Exception {
        TensorSpec big = new TensorSpec("big", new long[] {700, 1000}); // 2.8 MB, several 1 MiB chunks
        float[] v = new float[700_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(0x3f800000 + i);
        }
        Path file = dir.resolve("big.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(file, List.of(big), Map.of())) {
            w.write("big", v);
            w.finish();
        }
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            FloatBuffer f = r.floats("big");
            assertThat(f.remaining()).isEqualTo(v.length);
            for (int i = 0; i < v.length; i += 4099) {
                assertThat(Float.floatToRawIntBits(f.get(i))).isEqualTo(0x3f800000 + i);
            }
            assertThat(Float.floatToRawIntBits(f.get(v.length - 1))).isEqualTo(0x3f800000 + v.length - 1);
        }
    }

    @Test
    void readerViewsAreReadOnlyLittleEndianAndMappedNotCopied() throws Exception {
        Path file = writeAll(dir.resolve("m.safetensors"));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            FloatBuffer f = r.floats("a");
            assertThat(f.isReadOnly()).isTrue();
            assertThat(f.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(f.isDirect()).as("a view of the mapped file, not a heap copy").isTrue();
        }
    }

    @Test
    void writerRefusesUnknownTensorsWrongLengthsAndSecondWrites() throws Exception {
        try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("m.safetensors"), SPECS, Map.of())) {
            assertThatThrownBy(() -> w.write("zzz", new float[1])).hasMessageContaining("zzz");
            assertThatThrownBy(() -> w.write("a", new float[5])).hasMessageContaining("a").hasMessageContaining("[2, 3]");
            w.write("a", new float[6]);
            assertThatThrownBy(() -> w.write("a", new float[6])).hasMessageContaining("already written");
        }
    }

    @Test
    void finishRefusesAnIncompleteFileNamingTheMissingTensors() throws Exception {
        try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("m.safetensors"), SPECS, Map.of())) {
            w.write("a", new float[6]);
            assertThatThrownBy(w::finish).isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining("b.bias").hasMessageContaining("c").hasMessageNotContaining("[a");
        }
    }

    @Test
    void writerRefusesToOverwriteAnExistingFile() throws Exception {
        Path file = dir.resolve("m.safetensors");
        Files.writeString(file, "keep");
        assertThatThrownBy(() -> SafetensorsWriter.create(file, SPECS, Map.of())).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("keep");
    }
}
