package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WeightMemory}: by default every weight is copied; under {@code mapped} a float32 tensor mapped
 * from its file becomes an engine array over the file's own pages (no copy), and everything that
 * cannot be used in place is copied.
 */
class WeightMemoryTest {

    @TempDir
    Path dir;

    @Test
    void aWrongSettingIsOneLineNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> new WeightMemory("mmap", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gpt2j.weight_memory (or GPT2_WEIGHT_MEMORY) is 'mmap': expected auto (the default: copy), copy or mapped");
    }

    /** The array reads the file's pages: a value written to the file afterwards shows in the array. */
    @Test
    void aMappedTensorIsUsedInPlace() throws Exception {
        Path file = dir.resolve("t.bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
                NDManager manager = Engine.getEngine("PyTorch").newBaseManager(ai.djl.Device.cpu())) {
            ch.write(littleEndian(1f, 2f, 3f, 4f, 5f, 6f), 0);
            WeightTensor t = WeightTensor.mapped(new long[] {2, 3}, ch.map(FileChannel.MapMode.READ_ONLY, 0, 24));
            WeightMemory memory = new WeightMemory("mapped", false);
            NDArray array = memory.inPlace(manager, t);
            assertThat(array).isNotNull();
            assertThat(array.getShape().getShape()).containsExactly(2, 3);
            assertThat(array.toFloatArray()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
            ch.write(littleEndian(42f), 8); // the third value, in the file
            assertThat(array.toFloatArray()).containsExactly(1f, 2f, 42f, 4f, 5f, 6f);
            assertThat(memory.description())
                    .isEqualTo("weights: 24 bytes in the model files' pages, 0 bytes copied (gpt2j.weight_memory=mapped)");
        }
    }

    @Test
    void whatCannotBeUsedInPlaceIsLeftToBeCopied() throws Exception {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(ai.djl.Device.cpu())) {
            WeightTensor onTheHeap = new WeightTensor(new long[] {2}, FloatBuffer.wrap(new float[] {1f, 2f}));
            assertThat(new WeightMemory("mapped", false).inPlace(manager, onTheHeap)).isNull();
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            ByteBuffer misaligned = direct.position(2).limit(10).slice();
            assertThat(new WeightMemory("mapped", false).inPlace(manager, WeightTensor.mapped(new long[] {2}, misaligned))).isNull();
            WeightTensor aligned = WeightTensor.mapped(new long[] {2}, direct.clear().limit(8));
            assertThat(new WeightMemory("copy", false).inPlace(manager, aligned)).isNull();
            assertThat(new WeightMemory("auto", false).inPlace(manager, aligned)).as("the default copies").isNull();
            assertThat(new WeightMemory("mapped", true).inPlace(manager, aligned)).isNull();
            assertThat(new WeightMemory("mapped", false).inPlace(manager, aligned)).isNotNull();
        }
        WeightMemory copies = new WeightMemory(" COPY ", false);
        copies.copied(2_500_000);
        assertThat(copies.description()).isEqualTo("weights: 3 MB copied (gpt2j.weight_memory=mapped to use the files' pages)");
        assertThat(new WeightMemory("Mapped", true).description()).isEqualTo("weights: 0 bytes copied (on the GPU)");
    }

    private static ByteBuffer littleEndian(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.flip();
    }
}
