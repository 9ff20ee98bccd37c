package net.gpt2j.converter.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.converter.checkpoint.ShardRegion;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locating files and reading archives, with stand-in file contents (the real checkpoint's bytes
 * are exercised end to end in EndToEndConversionTest).
 */
class CheckpointSourceTest {

    @TempDir
    Path dir;
    Path model;
    Path scratch;

    static final List<String> NAMES = List.of("checkpoint", "hparams.json", "model.ckpt.index",
            "model.ckpt.data-00000-of-00002", "model.ckpt.data-00001-of-00002", "encoder.json", "vocab.bpe", "model.ckpt.meta");

    @BeforeEach
    void modelFolder() throws IOException {
        model = Files.createDirectories(dir.resolve("124M"));
        for (String n : NAMES) {
            String text = n.equals("checkpoint") ? "model_checkpoint_path: \"model.ckpt\"\n" : "contents of " + n + " ".repeat(n.length() * 7);
            Files.writeString(model.resolve(n), text);
        }
        scratch = Files.createDirectories(dir.resolve("out-parent"));
    }

    private static byte[] bytesOf(ShardRegion r) throws IOException {
        try (FileChannel ch = FileChannel.open(r.file())) {
            ByteBuffer b = ByteBuffer.allocate((int) r.length());
            ch.read(b, r.base());
            return b.array();
        }
    }

    private void assertLocated(CheckpointSource src, String top) throws IOException {
        String p = top.isEmpty() ? "" : top + "/";
        assertThat(src.members()).extracting(SourceMember::name).containsExactly(p + "checkpoint", p + "hparams.json",
                p + "model.ckpt.index", p + "model.ckpt.data-00000-of-00002", p + "model.ckpt.data-00001-of-00002",
                p + "encoder.json", p + "vocab.bpe");
        for (SourceMember m : src.members()) {
            assertThat(bytesOf(m.bytes())).as(m.name()).isEqualTo(Files.readAllBytes(model.resolve(m.baseName())));
        }
        assertThat(Files.readString(src.hparamsFile())).startsWith("contents of hparams.json");
        assertThat(Files.readString(src.encoderJson())).startsWith("contents of encoder.json");
        assertThat(Files.readString(src.vocabBpe())).startsWith("contents of vocab.bpe");
    }

    private List<String> scratchContents() throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            return s.map(x -> x.getFileName().toString()).toList();
        }
    }

    @Test
    void folderIsReadInPlace() throws Exception {
        try (CheckpointSource src = CheckpointSource.open(model, scratch)) {
            assertLocated(src, "");
            assertThat(src.shards().get(1).bytes().file()).isEqualTo(model.resolve("model.ckpt.data-00001-of-00002"));
            assertThat(src.scratchFolder()).isNull();
        }
    }

    @Test
    void folderHoldingTheModelFolderIsSearchedOneLevelDown() throws Exception {
        try (CheckpointSource src = CheckpointSource.open(dir, scratch)) {
            assertLocated(src, "124M");
        }
    }

    @Test
    void tarShardsAreRegionsOfTheArchiveAndSmallFilesAreExtracted() throws Exception {
        Path tar = Archives.tar(model, dir.resolve("m.tar"), "124M", false);
        try (CheckpointSource src = CheckpointSource.open(tar, scratch)) {
            assertLocated(src, "124M");
            for (SourceMember shard : src.shards()) {
                assertThat(shard.bytes().file()).as("read in place, not unpacked").isEqualTo(tar);
                assertThat(shard.bytes().base()).isPositive();
            }
            assertThat(src.hparamsFile()).startsWith(src.scratchFolder());
            assertThat(src.scratchFolder().getParent()).isEqualTo(scratch);
        }
        assertThat(scratchContents()).as("scratch deleted on close").isEmpty();
    }

    @Test
    void tarGzIsExtractedBesideTheOutputAndDeletedOnClose() throws Exception {
        Path tgz = Archives.tar(model, dir.resolve("m.tgz"), "124M", true);
        try (CheckpointSource src = CheckpointSource.open(tgz, scratch)) {
            assertLocated(src, "124M");
            assertThat(src.shards().get(0).bytes().file()).startsWith(scratch);
            assertThat(src.scratchFolder().getFileName().toString()).startsWith(".m.tgz.unpacked-");
            assertThat(Files.exists(src.scratchFolder().resolve("124M/model.ckpt.meta"))).as("irrelevant files not unpacked").isFalse();
        }
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void storedZipShardsAreReadInPlace() throws Exception {
        Path zip = Archives.zip(model, dir.resolve("m.zip"), "", true);
        try (CheckpointSource src = CheckpointSource.open(zip, scratch)) {
            assertLocated(src, "");
            assertThat(src.shards()).allSatisfy(s -> assertThat(s.bytes().file()).isEqualTo(zip));
        }
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void deflatedZipShardsAreExtracted() throws Exception {
        Path zip = Archives.zip(model, dir.resolve("m.zip"), "124M", false);
        try (CheckpointSource src = CheckpointSource.open(zip, scratch)) {
            assertLocated(src, "124M");
            assertThat(src.shards()).allSatisfy(s -> assertThat(s.bytes().file()).startsWith(scratch));
        }
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void missingFilesAreListedWithWhatWasFound() throws Exception {
        Files.delete(model.resolve("vocab.bpe"));
        Files.delete(model.resolve("model.ckpt.data-00001-of-00002"));
        Path tar = Archives.tar(model, dir.resolve("m.tar"), "124M", false);
        assertThatThrownBy(() -> CheckpointSource.open(tar, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining("vocab.bpe").hasMessageContaining("model.ckpt.data-00001-of-00002")
                .hasMessageContaining("found: [").hasMessageContaining("124M/model.ckpt.meta");
        assertThat(scratchContents()).as("scratch deleted after a failed open").isEmpty();
    }

    @Test
    void noCheckpointStateFileIsReportedWithTheListing() throws Exception {
        Files.delete(model.resolve("checkpoint"));
        assertThatThrownBy(() -> CheckpointSource.open(model, scratch)).hasMessageContaining("'checkpoint'")
                .hasMessageContaining("hparams.json");
    }

    @Test
    void twoCheckpointFoldersAreAmbiguous() throws Exception {
        Path other = Files.createDirectories(dir.resolve("355M"));
        Files.copy(model.resolve("checkpoint"), other.resolve("checkpoint"));
        assertThatThrownBy(() -> CheckpointSource.open(dir, scratch)).hasMessageContaining("124M/").hasMessageContaining("355M/");
    }

    @Test
    void unknownSourceKindIsRefused() throws Exception {
        Path rar = Files.writeString(dir.resolve("m.rar"), "x");
        assertThatThrownBy(() -> CheckpointSource.open(rar, scratch)).hasMessageContaining("m.rar").hasMessageContaining(".tar.gz");
        assertThatThrownBy(() -> CheckpointSource.open(dir.resolve("nope"), scratch)).hasMessageContaining("does not exist");
    }

    @Test
    void fingerprintHashesEveryMemberWhereItLies() throws Exception {
        Path tar = Archives.tar(model, dir.resolve("m.tar"), "", false);
        try (CheckpointSource src = CheckpointSource.open(tar, scratch)) {
            long[] last = {0};
            List<SourceFile> files = src.fingerprint(done -> last[0] = done);
            assertThat(files).hasSize(7);
            for (SourceFile f : files) {
                byte[] bytes = Files.readAllBytes(model.resolve(f.name()));
                assertThat(f.size()).isEqualTo(bytes.length);
                assertThat(f.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
            assertThat(last[0]).isEqualTo(src.totalBytes());
        }
    }

    // --- unsafe archives ---

    /** A tar holding one entry: a file (optionally with its absolute name kept) or a link. */
    private Path tarWith(String name, byte linkFlag, String linkName, boolean preserveAbsolute) throws IOException {
        Path evil = dir.resolve("evil.tar");
        try (OutputStream os = Files.newOutputStream(evil); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            TarArchiveEntry e = linkFlag == TarConstants.LF_NORMAL ? new TarArchiveEntry(name, preserveAbsolute)
                    : new TarArchiveEntry(name, linkFlag);
            byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
            if (linkName != null) {
                e.setLinkName(linkName);
            } else {
                e.setSize(data.length);
            }
            tar.putArchiveEntry(e);
            if (linkName == null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
        }
        return evil;
    }

    @Test
    void tarEntryEscapingWithDotDotIsRefusedNamingIt() throws Exception {
        Path evil = tarWith("124M/../../x", TarConstants.LF_NORMAL, null, false);
        assertThatThrownBy(() -> CheckpointSource.open(evil, scratch)).isInstanceOf(SourceException.class)
                .hasMessageContaining("124M/../../x").hasMessageContaining("escapes");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
        assertThat(scratchContents()).isEmpty();
    }

    @Test
    void tarEntryWithAnAbsoluteNameIsRefused() throws Exception {
        Path evil = tarWith("/tmp/abs-evil", TarConstants.LF_NORMAL, null, true);
        assertThatThrownBy(() -> CheckpointSource.open(evil, scratch)).hasMessageContaining("/tmp/abs-evil").hasMessageContaining("absolute");
    }

    @Test
    void tarSymlinkEntryIsRefusedNamingIt() throws Exception {
        Path evil = tarWith("124M/vocab.bpe", TarConstants.LF_SYMLINK, "/etc/passwd", false);
        assertThatThrownBy(() -> CheckpointSource.open(evil, scratch)).hasMessageContaining("symbolic link")
                .hasMessageContaining("124M/vocab.bpe").hasMessageContaining("/etc/passwd");
    }

    @Test
    void tarHardLinkEntryIsRefusedNamingIt() throws Exception {
        Path evil = tarWith("124M/hparams.json", TarConstants.LF_LINK, "124M/other", false);
        assertThatThrownBy(() -> CheckpointSource.open(evil, scratch)).hasMessageContaining("hard link")
                .hasMessageContaining("124M/hparams.json");
    }

    @Test
    void tarGzEscapeIsRefusedBeforeAnythingLandsOutside() throws Exception {
        Path tgz = dir.resolve("evil.tar.gz");
        try (OutputStream os = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(Files.newOutputStream(tgz));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            TarArchiveEntry e = new TarArchiveEntry("../checkpoint");
            e.setSize(1);
            tar.putArchiveEntry(e);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> CheckpointSource.open(tgz, scratch)).hasMessageContaining("../checkpoint");
        assertThat(Files.exists(dir.resolve("checkpoint"))).isFalse();
        assertThat(scratchContents()).isEmpty();
    }

    private Path zipWith(String name, boolean symlink) throws IOException {
        Path zip = dir.resolve("evil.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            if (symlink) {
                e.setUnixMode(0120777);
            }
            out.putArchiveEntry(e);
            out.write((symlink ? "/etc/passwd" : "payload").getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        return zip;
    }

    @Test
    void zipEntriesEscapingOrAbsoluteAreRefused() throws Exception {
        Path z1 = zipWith("../../evil.txt", false);
        assertThatThrownBy(() -> CheckpointSource.open(z1, scratch)).hasMessageContaining("../../evil.txt");
        Files.delete(z1);
        Path z2 = zipWith("/abs/evil.txt", false);
        assertThatThrownBy(() -> CheckpointSource.open(z2, scratch)).hasMessageContaining("/abs/evil.txt").hasMessageContaining("absolute");
        Files.delete(z2);
        Path z3 = zipWith("..\\evil.txt", false);
        assertThatThrownBy(() -> CheckpointSource.open(z3, scratch)).hasMessageContaining("evil.txt").hasMessageContaining("escapes");
    }

    @Test
    void zipSymlinkEntryIsRefusedNamingIt() throws Exception {
        Path z = zipWith("124M/encoder.json", true);
        assertThatThrownBy(() -> CheckpointSource.open(z, scratch)).hasMessageContaining("symbolic link")
                .hasMessageContaining("124M/encoder.json");
    }
}
