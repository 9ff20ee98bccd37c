package net.gpt2j.format.safetensors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each malformed header is refused by name, before any tensor is mapped. */
class SafetensorsReaderRefusalTest {

    @TempDir
    Path dir;

    /** A file with the given header length field, header text and {@code dataBytes} bytes of data. */
    private Path file(long headerLength, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private Path file(String header, int dataBytes) throws Exception {
        return file(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refusal(Path f) {
        return assertThatThrownBy(() -> SafetensorsReader.open(f).close()).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void headerLengthOverTheLimitIsRefusedBeforeReadingIt() throws Exception {
        refusal(file(200L * 1000 * 1000, "{}", 0)).hasMessageContaining("exceeds the limit");
        refusal(file(-5, "{}", 0)).hasMessageContaining("exceeds the limit");
    }

    @Test
    void headerLengthBeyondTheFileIsRefused() throws Exception {
        refusal(file(1000, "{}", 0)).hasMessageContaining("beyond the end of the file");
    }

    @Test
    void fileShorterThanTheLengthFieldIsRefused() throws Exception {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        refusal(f).hasMessageContaining("too short");
    }

    @Test
    void invalidJsonIsRefused() throws Exception {
        refusal(file("{\"a\": {", 0)).hasMessageContaining("not valid JSON");
    }

    @Test
    void offsetsOutsideTheDataAreaAreRefusedNamingTheTensor() throws Exception {
        refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8))
                .hasMessageContaining("tensor a").hasMessageContaining("outside the data area");
    }

    @Test
    void overlappingRangesAreRefusedNamingBothTensors() throws Exception {
        refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12))
                .hasMessageContaining("tensor b").hasMessageContaining("overlap tensor a");
    }

    @Test
    void aHoleBetweenTensorsIsRefused() throws Exception {
        refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12))
                .hasMessageContaining("tensor b").hasMessageContaining("hole after tensor a");
    }

    @Test
    void trailingBytesAfterTheLastTensorAreRefused() throws Exception {
        refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12))
                .hasMessageContaining("data area holds 12 bytes");
    }

    @Test
    void dtypeOtherThanAFloatIsRefusedNamingTheTensor() throws Exception {
        refusal(file("{\"w\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("tensor w").hasMessageContaining("I32").hasMessageContaining("F32, F16 or BF16");
    }

    @Test
    void shapeThatDisagreesWithOffsetsIsRefusedNamingTheTensor() throws Exception {
        refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8))
                .hasMessageContaining("tensor w").hasMessageContaining("needs 12 bytes");
    }

    @Test
    void shapeWhoseSizeOverflowsIsRefused() throws Exception {
        refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8))
                .hasMessageContaining("tensor w").hasMessageContaining("overflows");
    }

    @Test
    void negativeOrNonIntegerOffsetsAreRefused() throws Exception {
        refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4)).hasMessageContaining("data_offsets");
        refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4)).hasMessageContaining("shape");
    }

    @Test
    void duplicateTensorNamesAreRefused() throws Exception {
        refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)).hasMessageContaining("w");
    }

    @Test
    void nonStringMetadataIsRefused() throws Exception {
        refusal(file("{\"__metadata__\":{\"format\":1}}", 0)).hasMessageContaining("__metadata__");
    }
}
