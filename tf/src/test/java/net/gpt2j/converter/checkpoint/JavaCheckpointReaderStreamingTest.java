package net.gpt2j.converter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.format.Hparams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JavaCheckpointReader#readInto} and {@link JavaCheckpointReader#stream}, the converter's
 * reads (no mapping), on a checkpoint written by TensorFlow: the same bytes as {@link
 * JavaCheckpointReader#read}, and the same refusal of a damaged tensor.
 */
class JavaCheckpointReaderStreamingTest {

    private static final String SHARD = "model.ckpt.data-00000-of-00001";

    @TempDir
    static Path shared;
    private static Path pristine;

    @TempDir
    Path work;

    @BeforeAll
    static void writeFixture() throws IOException {
        pristine = shared.resolve("small");
        new FixtureWriter().write(2, new Hparams(16, 8, 8, 2, 2), pristine);
    }

    private static TensorEntry entry(JavaCheckpointReader r, String name) {
        return r.tensors().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    /** Concatenates the chunks stream hands over, recording their sizes. */
    private static ByteBuffer streamed(JavaCheckpointReader r, TensorEntry e, int scratchBytes, List<Integer> sizes)
            throws IOException {
        ByteBuffer all = ByteBuffer.allocate((int) e.size());
        r.stream(e, ByteBuffer.allocateDirect(scratchBytes), chunk -> {
            sizes.add(chunk.remaining());
            all.put(chunk);
        });
        return all.flip();
    }

    @Test
    void readIntoAndStreamGiveWhatReadGivesForEveryTensor() throws Exception {
        try (JavaCheckpointReader r = JavaCheckpointReader.open(pristine)) {
            ByteBuffer into = ByteBuffer.allocateDirect(4096);
            for (TensorEntry e : r.tensors()) {
                ByteBuffer want = r.read(e);
                into.clear().position(3); // lands at the buffer's position, not at 0
                r.readInto(e, into);
                assertThat(into.position()).as(e.name()).isEqualTo(3 + (int) e.size());
                assertThat(into.flip().position(3)).as(e.name()).isEqualTo(want);
                List<Integer> sizes = new ArrayList<>();
                assertThat(streamed(r, e, 7, sizes)).as(e.name()).isEqualTo(want);
                assertThat(sizes).as(e.name() + ": chunks of the scratch buffer's size, the last one what is left")
                        .allMatch(n -> n <= 7);
            }
        }
    }

    @Test
    void aFlippedByteIsRefusedByBothNamingTheTensorAndTheShard() throws Exception {
        Path dir = Files.createDirectories(work.resolve("damaged"));
        try (Stream<Path> files = Files.list(pristine)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        TensorEntry victim;
        try (JavaCheckpointReader r = JavaCheckpointReader.open(dir)) {
            victim = entry(r, "model/h1/mlp/c_fc/w");
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(SHARD).toFile(), "rw")) {
            long at = victim.offset() + victim.size() - 1; // the last byte: only the final crc32c check can see it
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        try (JavaCheckpointReader r = JavaCheckpointReader.open(dir)) {
            assertThatThrownBy(() -> r.readInto(victim, ByteBuffer.allocate((int) victim.size())))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("model/h1/mlp/c_fc/w").hasMessageContaining("crc32c").hasMessageContaining(SHARD);
            assertThatThrownBy(() -> streamed(r, victim, 64, new ArrayList<>()))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("model/h1/mlp/c_fc/w").hasMessageContaining("crc32c").hasMessageContaining(SHARD);
        }
    }

    @Test
    void aBufferTooSmallIsRefusedNamingTheTensorBeforeAnythingIsRead() throws Exception {
        try (JavaCheckpointReader r = JavaCheckpointReader.open(pristine)) {
            TensorEntry wte = entry(r, "model/wte");
            ByteBuffer small = ByteBuffer.allocate((int) wte.size() - 1);
            assertThatThrownBy(() -> r.readInto(wte, small)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model/wte").hasMessageContaining(String.valueOf(wte.size()));
            assertThat(small.position()).isZero();
        }
    }
}
