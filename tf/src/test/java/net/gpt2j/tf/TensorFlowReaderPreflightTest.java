package net.gpt2j.tf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.gpt2j.converter.checkpoint.BundleHeader;
import net.gpt2j.converter.checkpoint.BundleIndex;
import net.gpt2j.converter.checkpoint.CheckpointException;
import net.gpt2j.converter.checkpoint.TensorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index TensorFlow would abort the JVM on is refused by the Java parser first. Were the check
 * missing, this test's JVM would die with SIGABRT inside TF and the run would fail.
 */
class TensorFlowReaderPreflightTest {

    @TempDir
    Path dir;

    private Path checkpointWith(TensorEntry entry) throws Exception {
        byte[] index = new BundleIndex(new BundleHeader(1, BundleHeader.LITTLE, 1, new byte[] {8, 1}), List.of(entry)).encode();
        Files.write(dir.resolve("model.ckpt.index"), index);
        Files.write(dir.resolve("model.ckpt.data-00000-of-00001"), new byte[16]);
        Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path: \"model.ckpt\"\n");
        return dir.resolve("model.ckpt");
    }

    @Test
    void aShapeWhoseElementCountOverflowsIsRefusedBeforeTensorFlowSeesIt() throws Exception {
        Path prefix = checkpointWith(new TensorEntry("model/wte", "DT_FLOAT", new long[] {1L << 40, 1L << 40}, 0, 0, 16, 0));
        assertThatThrownBy(() -> TensorFlowCheckpointReader.openPrefix(prefix)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model/wte").hasMessageContaining("more elements than a long holds");
    }

    @Test
    void aTensorBeyondItsShardIsRefusedNamingBoth() throws Exception {
        Path prefix = checkpointWith(new TensorEntry("model/wpe", "DT_FLOAT", new long[] {8, 8}, 0, 0, 256, 0));
        assertThatThrownBy(() -> TensorFlowCheckpointReader.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model/wpe").hasMessageContaining("holds only 16 bytes");
        assertThatThrownBy(() -> TensorFlowCheckpointReader.openPrefix(prefix)).isInstanceOf(CheckpointException.class);
    }
}
