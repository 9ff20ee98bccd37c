package net.gpt2j.converter.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds test archives of a folder, optionally under a top-level directory. */
public final class Archives {

    private Archives() {}

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String entryName(Path folder, Path f, String top) {
        String rel = folder.relativize(f).toString().replace('\\', '/');
        return top.isEmpty() ? rel : top + "/" + rel;
    }

    public static Path tar(Path folder, Path archive, String top, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(archive);
                OutputStream os = gzip ? new GzipCompressorOutputStream(raw) : raw;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            if (!top.isEmpty()) {
                tar.putArchiveEntry(new TarArchiveEntry(top + "/"));
                tar.closeArchiveEntry();
            }
            for (Path f : files(folder)) {
                TarArchiveEntry e = new TarArchiveEntry(entryName(folder, f, top));
                e.setSize(Files.size(f));
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    /** A zip whose shards are STORED (readable in place) when {@code storeShards}, everything else DEFLATED. */
    public static Path zip(Path folder, Path archive, String top, boolean storeShards) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(archive)) {
            for (Path f : files(folder)) {
                String name = entryName(folder, f, top);
                ZipArchiveEntry e = new ZipArchiveEntry(name);
                if (storeShards && name.contains(".data-")) {
                    byte[] bytes = Files.readAllBytes(f);
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(bytes.length);
                    e.setCompressedSize(bytes.length);
                    e.setCrc(crc.getValue());
                } else {
                    e.setMethod(ZipEntry.DEFLATED);
                }
                zip.putArchiveEntry(e);
                Files.copy(f, zip);
                zip.closeArchiveEntry();
            }
        }
        return archive;
    }
}
