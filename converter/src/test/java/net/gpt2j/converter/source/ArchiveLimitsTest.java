package net.gpt2j.converter.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.converter.checkpoint.BundleHeader;
import net.gpt2j.converter.checkpoint.BundleIndex;
import net.gpt2j.converter.checkpoint.TensorEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archive members are capped while they stream; truncation and special files are named. */
class ArchiveLimitsTest {

    @TempDir
    Path dir;
    Path scratch;

    @BeforeEach
    void scratchParent() throws IOException {
        scratch = Files.createDirectories(dir.resolve("out-parent"));
    }

    /** Writes a tar (gzipped or not) whose entries are given as name, bytes, name, bytes... */
    private Path tar(String name, boolean gzip, Object... entries) throws IOException {
        Path archive = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(archive);
                OutputStream os = gzip ? new GzipCompressorOutputStream(raw) : raw;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (int i = 0; i < entries.length; i += 2) {
                byte[] bytes = (byte[]) entries[i + 1];
                TarArchiveEntry e = new TarArchiveEntry((String) entries[i]);
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A real index of one float32 tensor of 4 values in one shard: it declares a 16-byte shard. */
    private static byte[] indexDeclaringSixteenBytes() {
        return new BundleIndex(new BundleHeader(1, BundleHeader.LITTLE, 1, new byte[] {8, 1}),
                List.of(new TensorEntry("model/wte", "DT_FLOAT", new long[] {2, 2}, 0, 0, 16, 0))).encode();
    }

    private List<String> scratchContents() throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aZipBombIsStoppedAtTheSmallFileLimitNotExtractedWhole() throws IOException {
        Path zip = dir.resolve("bomb.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("124M/encoder.json"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 80; i++) {
                out.write(zeros);
            }
            out.closeArchiveEntry();
        }
        assertThat(Files.size(zip)).isLessThan(1 << 20);
        assertThatThrownBy(() -> CheckpointSource.open(zip, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining("124M/encoder.json").hasMessageContaining("more than the " + MemberLimits.SMALL_FILE_MAX);
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void aZipWhoseDirectoryUnderstatesAMemberIsStoppedWhileInflating() throws IOException {
        Path zip = dir.resolve("liar.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("124M/vocab.bpe"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 70; i++) {
                out.write(zeros);
            }
            out.closeArchiveEntry();
        }
        understateSizes(zip, 1000);
        assertThatThrownBy(() -> CheckpointSource.open(zip, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining("124M/vocab.bpe").hasMessageContaining("bytes unpacked");
        assertThat(scratchContents()).isEmpty();
    }

    /** Rewrites every uncompressed-size field (local header and central directory) to {@code size}. */
    private static void understateSizes(Path zip, int size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= b.length; i++) {
            int sig = buf.getInt(i);
            if (sig == 0x02014b50) {
                buf.putInt(i + 24, size);
            } else if (sig == 0x04034b50) {
                buf.putInt(i + 22, size);
            } else if (sig == 0x08074b50) {
                buf.putInt(i + 12, size);
            }
        }
        Files.write(zip, b);
    }

    @Test
    void aShardLargerThanItsIndexDeclaresIsRefused() throws IOException {
        Path archive = tar("big-shard.tar.gz", true,
                "124M/checkpoint", text("model_checkpoint_path: \"model.ckpt\"\n"),
                "124M/model.ckpt.index", indexDeclaringSixteenBytes(),
                "124M/model.ckpt.data-00000-of-00001", new byte[4096]);
        assertThatThrownBy(() -> CheckpointSource.open(archive, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining("124M/model.ckpt.data-00000-of-00001").hasMessageContaining("4096 bytes")
                .hasMessageContaining("what the checkpoint index declares for this shard");
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void aTruncatedTarGzSaysSo() throws IOException {
        Path whole = tar("whole.tar.gz", true,
                "124M/checkpoint", text("model_checkpoint_path: \"model.ckpt\"\n"),
                "124M/model.ckpt.data-00000-of-00001", new byte[200_000]);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> CheckpointSource.open(cut, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining(cut.toString()).hasMessageContaining("truncated").hasMessageNotContaining("null");
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void aFifoEntryInATarIsRefused() throws IOException {
        Path archive = dir.resolve("fifo.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            tar.putArchiveEntry(new TarArchiveEntry("124M/encoder.json", TarConstants.LF_FIFO));
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> CheckpointSource.open(archive, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining("not a regular file").hasMessageContaining("124M/encoder.json");
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void aDeviceEntryInAZipIsRefused() throws IOException {
        Path zip = dir.resolve("device.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            ZipArchiveEntry e = new ZipArchiveEntry("124M/hparams.json");
            e.setUnixMode(0020644); // a character device
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }
        assertThatThrownBy(() -> CheckpointSource.open(zip, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining("not a regular file").hasMessageContaining("124M/hparams.json");
    }
}
