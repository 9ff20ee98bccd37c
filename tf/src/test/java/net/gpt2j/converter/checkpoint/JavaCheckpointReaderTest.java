package net.gpt2j.converter.checkpoint;

import net.gpt2j.tf.TensorFlowCheckpointReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.format.Hparams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure-Java reader on a checkpoint written by TensorFlow's SaveV2 (the tiny fixture), intact and
 * corrupted in the ways a download or a hostile file can be.
 */
class JavaCheckpointReaderTest {

    private static final String SHARD = "model.ckpt.data-00000-of-00001";
    private static final String INDEX = "model.ckpt.index";

    @TempDir
    static Path shared;
    private static Path pristine;

    @TempDir
    Path work;

    @BeforeAll
    static void writeTinyFixture() throws IOException {
        pristine = shared.resolve("tiny");
        new FixtureWriter().write(1, new Hparams(50257, 64, 64, 4, 2), pristine);
    }

    /** A private copy of the fixture this test may damage. */
    private Path copy() throws IOException {
        Path dir = work.resolve("ckpt");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(pristine)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void tensorFlowStoresEachTensorsCrc32cMasked() throws Exception {
        // Settles the masking question against TF's own bytes: the index holds mask(crc32c(data)).
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(pristine)) {
            for (TensorEntry e : reader.tensors()) {
                int raw = Crc32c.of(reader.read(e));
                assertThat(e.crc32c()).as(e.name()).isEqualTo(Crc32c.mask(raw)).isNotEqualTo(raw);
                assertThat(Crc32c.unmask(e.crc32c())).isEqualTo(raw);
            }
        }
    }

    @Test
    void reEncodingATensorFlowWrittenIndexReproducesItsBytes() throws Exception {
        byte[] index = Files.readAllBytes(pristine.resolve(INDEX));
        assertThat(BundleIndex.parse(index, INDEX).encode()).isEqualTo(index);
    }

    @Test
    void tensorsAreReadOnlyLittleEndianAndPositionedAtZero() throws Exception {
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(pristine)) {
            TensorEntry g = reader.tensors().stream().filter(e -> e.name().equals("model/ln_f/g")).findFirst().orElseThrow();
            ByteBuffer b = reader.read(g);
            assertThat(b.isReadOnly()).isTrue();
            assertThat(b.position()).isZero();
            assertThat(b.remaining()).isEqualTo(64 * 4);
            assertThat(b.order()).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN);
            // ln_f/g values are centred on 1 (FIXTURES.md), so little-endian decoding lands near 1
            assertThat(b.getFloat(0)).isBetween(0.87f, 1.13f);
        }
    }

    @Test
    void shardsInsideALargerFileAreReadThroughTheirRegion() throws Exception {
        // What the archive helper does for an uncompressed .tar/.zip: the shard sits at some base offset.
        byte[] shard = Files.readAllBytes(pristine.resolve(SHARD));
        Path archive = work.resolve("fake.tar");
        byte[] junk = new byte[1000];
        java.util.Arrays.fill(junk, (byte) 0x5a);
        try (var out = Files.newOutputStream(archive)) {
            out.write(junk);
            out.write(shard);
            out.write(junk);
        }
        byte[] index = Files.readAllBytes(pristine.resolve(INDEX));
        ShardRegion region = new ShardRegion(archive, junk.length, shard.length, "fake.tar!" + SHARD);
        try (JavaCheckpointReader inArchive = JavaCheckpointReader.fromIndex(index, "fake.tar!" + INDEX, List.of(region));
                JavaCheckpointReader plain = JavaCheckpointReader.open(pristine)) {
            for (int i = 0; i < plain.tensors().size(); i++) {
                assertThat(inArchive.read(inArchive.tensors().get(i))).isEqualTo(plain.read(plain.tensors().get(i)));
            }
        }
    }

    @Test
    void flippedByteInShardIsRefusedNamingTheTensor() throws Exception {
        Path dir = copy();
        TensorEntry victim;
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(dir)) {
            victim = reader.tensors().stream().filter(e -> e.name().equals("model/h1/mlp/c_fc/w")).findFirst().orElseThrow();
        }
        flipByte(dir.resolve(SHARD), victim.offset() + victim.size() / 2);
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(dir)) {
            assertThatThrownBy(() -> reader.read(victim))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("model/h1/mlp/c_fc/w").hasMessageContaining("crc32c").hasMessageContaining(SHARD);
            // the other tensors are still fine
            TensorEntry other = reader.tensors().stream().filter(e -> e.name().equals("model/wte")).findFirst().orElseThrow();
            assertThat(reader.read(other).remaining()).isEqualTo(other.size());
        }
        // TensorFlow's own reader agrees that the bytes are damaged
        try (TensorFlowCheckpointReader tf = TensorFlowCheckpointReader.open(dir)) {
            TensorEntry tfVictim = tf.tensors().stream().filter(e -> e.name().equals(victim.name())).findFirst().orElseThrow();
            assertThatThrownBy(() -> tf.read(tfVictim)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(victim.name());
        }
    }

    @Test
    void truncatedShardIsRefusedNamingTheTensorAndTheShardFile() throws Exception {
        Path dir = copy();
        Path shard = dir.resolve(SHARD);
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }
        // the last tensor in the shard is the one cut short
        String last;
        try (JavaCheckpointReader listing = JavaCheckpointReader.fromIndex(Files.readAllBytes(dir.resolve(INDEX)), INDEX, List.of())) {
            last = listing.tensors().stream().max(java.util.Comparator.comparingLong(TensorEntry::offset)).orElseThrow().name();
        }
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(last).hasMessageContaining(shard.toString()).hasMessageContaining("truncated");
    }

    @Test
    void flippedByteInIndexBlockIsRefusedNamingTheIndexFile() throws Exception {
        Path dir = copy();
        Path index = dir.resolve(INDEX);
        flipByte(index, 100); // inside the data block, which starts at 0
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(index.toString()).hasMessageContaining("crc32c");
    }

    @Test
    void flippedByteInFooterMagicIsRefusedNamingTheIndexFile() throws Exception {
        Path dir = copy();
        Path index = dir.resolve(INDEX);
        flipByte(index, Files.size(index) - 1);
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(index.toString()).hasMessageContaining("magic");
    }

    @Test
    void blockHandleOutsideTheIndexFileIsRefused() throws Exception {
        byte[] index = Files.readAllBytes(pristine.resolve(INDEX));
        int footer = index.length - TableReader.FOOTER_LENGTH;
        byte[] handles = varints(0, 8, 1L << 40, 100); // index block claimed a terabyte into the file
        java.util.Arrays.fill(index, footer, footer + 40, (byte) 0);
        System.arraycopy(handles, 0, index, footer, handles.length);
        assertThatThrownBy(() -> JavaCheckpointReader.fromIndex(index, "crafted.index", List.of()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("crafted.index").hasMessageContaining("outside");
    }

    @Test
    void compressedIndexBlockIsRefusedWithAClearMessage() throws Exception {
        byte[] index = Files.readAllBytes(pristine.resolve(INDEX));
        int dataBlockSize = dataBlockSize(index);
        index[dataBlockSize] = 1; // compression type: snappy
        fixDataBlockCrc(index);
        assertThatThrownBy(() -> JavaCheckpointReader.fromIndex(index, "snappy.index", List.of()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("snappy.index").hasMessageContaining("compression");
    }

    @Test
    void keysOutOfOrderAreRefused() throws Exception {
        byte[] index = Files.readAllBytes(pristine.resolve(INDEX));
        // "model/h1/attn/c_attn/b" follows "model/h0/mlp/c_proj/w" and shares "model/h" with it; turning
        // its stored tail "1/attn/c_attn/b" into "0/attn/c_attn/b" puts it before its predecessor.
        int at = indexOf(index, "1/attn/c_attn/b".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        index[at] = '0';
        fixDataBlockCrc(index);
        assertThatThrownBy(() -> JavaCheckpointReader.fromIndex(index, "unsorted.index", List.of()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("unsorted.index").hasMessageContaining("not sorted");
    }

    @Test
    void indexClaimingAnOffsetBeyondTheShardIsRefusedBeforeReading() throws Exception {
        Path dir = copy();
        rewriteEntry(dir, "model/wpe", e -> new TensorEntry(e.name(), e.dtype(), e.shape(), 0, 1L << 50, e.size(), e.crc32c()));
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model/wpe").hasMessageContaining(SHARD).hasMessageContaining(String.valueOf(1L << 50));
    }

    @Test
    void indexClaimingASizeThatDisagreesWithTheShapeIsRefused() throws Exception {
        Path dir = copy();
        rewriteEntry(dir, "model/wte", e -> new TensorEntry(e.name(), e.dtype(), e.shape(), 0, e.offset(), 1L << 40, e.crc32c()));
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve(INDEX).toString()).hasMessageContaining("model/wte")
                .hasMessageContaining("size " + (1L << 40));
    }

    @Test
    void indexClaimingAnAbsurdShapeIsRefused() throws Exception {
        Path dir = copy();
        // 2^40 x 2^40 elements: a size consistent with it cannot even be expressed, so it must be refused as overflow
        rewriteEntry(dir, "model/wte", e -> new TensorEntry(e.name(), e.dtype(), new long[] {1L << 40, 1L << 40}, 0, e.offset(), e.size(), e.crc32c()));
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model/wte").hasMessageContaining("more elements than a long");
    }

    @Test
    void indexNamingAShardBeyondNumShardsIsRefused() throws Exception {
        Path dir = copy();
        rewriteEntry(dir, "model/ln_f/b", e -> new TensorEntry(e.name(), e.dtype(), e.shape(), 3, e.offset(), e.size(), e.crc32c()));
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model/ln_f/b").hasMessageContaining("shard_id 3").hasMessageContaining("num_shards 1");
    }

    @Test
    void oversizedIndexFileIsRefusedWithoutReadingIt() throws Exception {
        Path dir = copy();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(INDEX).toFile(), "rw")) {
            f.setLength(BundleIndex.MAX_INDEX_BYTES + 1); // sparse: costs no disk
        }
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve(INDEX).toString()).hasMessageContaining("refusing");
    }

    @Test
    void missingCheckpointStateFileIsNamed() throws Exception {
        Path dir = copy();
        Files.delete(dir.resolve("checkpoint"));
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(dir.resolve("checkpoint").toString());
    }

    @Test
    void missingIndexFileIsNamed() throws Exception {
        Path dir = copy();
        Files.delete(dir.resolve(INDEX));
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("missing").hasMessageContaining(dir.resolve(INDEX).toString());
        assertThatThrownBy(() -> TensorFlowCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(dir.resolve(INDEX).toString());
    }

    @Test
    void missingShardFileIsNamed() throws Exception {
        Path dir = copy();
        Files.delete(dir.resolve(SHARD));
        assertThatThrownBy(() -> JavaCheckpointReader.open(dir))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("missing").hasMessageContaining(dir.resolve(SHARD).toString());
    }

    @Test
    void prefixComesFromTheCheckpointStateFile() throws Exception {
        Path dir = copy();
        for (String suffix : List.of(".index", ".data-00000-of-00001")) {
            Files.move(dir.resolve("model.ckpt" + suffix), dir.resolve("other-name" + suffix));
        }
        Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path: \"other-name\"\nall_model_checkpoint_paths: \"other-name\"\n");
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(dir)) {
            assertThat(reader.tensors()).hasSize(2 + 2 * 12 + 2);
        }
    }

    // ---- helpers that damage files ----

    private static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }
    }

    /** Rewrites one entry of the folder's index; the result is a well-formed table with valid checksums. */
    private static void rewriteEntry(Path dir, String name, UnaryOperator<TensorEntry> change) throws IOException {
        Path indexFile = dir.resolve(INDEX);
        BundleIndex index = BundleIndex.parse(Files.readAllBytes(indexFile), INDEX);
        List<TensorEntry> entries = new ArrayList<>();
        for (TensorEntry e : index.entries()) {
            entries.add(e.name().equals(name) ? change.apply(e) : e);
        }
        Files.write(indexFile, new BundleIndex(index.header(), entries).encode());
    }

    /** The tiny index has one data block at offset 0; the metaindex block follows its 5-byte trailer. */
    private static int dataBlockSize(byte[] index) {
        int footer = index.length - TableReader.FOOTER_LENGTH;
        int metaindexOffset = 0;
        for (int shift = 0, i = footer; ; shift += 7, i++) {
            metaindexOffset |= (index[i] & 0x7f) << shift;
            if ((index[i] & 0x80) == 0) {
                break;
            }
        }
        return metaindexOffset - TableReader.BLOCK_TRAILER_LENGTH;
    }

    private static void fixDataBlockCrc(byte[] index) {
        int size = dataBlockSize(index);
        TableWriter.putFixed32(index, size + 1, Crc32c.mask(Crc32c.of(index, 0, size + 1)));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] varints(long... values) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long v : values) {
            TableWriter.putVarint(out, v);
        }
        return out.toByteArray();
    }
}
