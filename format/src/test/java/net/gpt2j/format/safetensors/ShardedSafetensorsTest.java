package net.gpt2j.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.HubFormatException;
import net.gpt2j.format.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedSafetensorsTest {

    @TempDir
    Path dir;

    /** A safetensors file written by hand: one 16-bit tensor of the given raw values. */
    private Path half(String file, String name, String dtype, short... raw) throws Exception {
        String header = "{\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + raw.length + "],\"data_offsets\":[0,"
                + raw.length * 2 + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + raw.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (short s : raw) {
            b.putShort(s);
        }
        return Files.write(dir.resolve(file), b.array());
    }

    @Test
    void f16AndBf16AreUpcastExactly() throws Exception {
        // F16: 1.0 = 0x3C00, -2.5 = 0xC100, the smallest subnormal 2^-24 = 0x0001, +inf = 0x7C00
        half("a.safetensors", "x", "F16", (short) 0x3C00, (short) 0xC100, (short) 0x0001, (short) 0x7C00);
        // BF16: 1.0 = 0x3F80, -0.15625 = 0xBE20
        half("b.safetensors", "y", "BF16", (short) 0x3F80, (short) 0xBE20);
        try (SafetensorsReader a = SafetensorsReader.open(dir.resolve("a.safetensors"));
                SafetensorsReader b = SafetensorsReader.open(dir.resolve("b.safetensors"))) {
            float[] x = new float[4];
            a.floats("x").get(x);
            assertThat(x).containsExactly(1f, -2.5f, 0x1p-24f, Float.POSITIVE_INFINITY);
            float[] y = new float[2];
            b.floats("y").get(y);
            assertThat(y).containsExactly(1f, -0.15625f);
            assertThat(a.dtype("x")).isEqualTo("F16");
        }
    }

    @Test
    void shardsListedByTheIndexReadAsOneSet() throws Exception {
        try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("model-00001-of-00002.safetensors"),
                List.of(new TensorSpec("p", new long[] {2})), Map.of())) {
            w.write("p", new float[] {1, 2});
            w.finish();
        }
        half("model-00002-of-00002.safetensors", "q", "BF16", (short) 0x3F80);
        Files.writeString(dir.resolve(ShardedSafetensors.INDEX), "{\"metadata\": {}, \"weight_map\": {"
                + "\"q\": \"model-00002-of-00002.safetensors\", \"p\": \"model-00001-of-00002.safetensors\"}}");
        try (ShardedSafetensors s = ShardedSafetensors.open(dir)) {
            assertThat(s.names()).containsExactly("q", "p");
            assertThat(s.floats("p").get(1)).isEqualTo(2f);
            assertThat(s.floats("q").get(0)).isEqualTo(1f);
        }
        Files.writeString(dir.resolve(ShardedSafetensors.INDEX), "{\"weight_map\": {\"p\": \"../elsewhere.safetensors\"}}");
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).isInstanceOf(HubFormatException.class)
                .hasMessageContaining("tensor p").hasMessageContaining("../elsewhere.safetensors");
    }

    @Test
    void aPickleIsNeverLoadedButRefusedWithTheWayOut() throws Exception {
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).isInstanceOf(HubFormatException.class)
                .hasMessageContaining("pytorch_model.bin").hasMessageContaining("convert it to safetensors");
    }
}
