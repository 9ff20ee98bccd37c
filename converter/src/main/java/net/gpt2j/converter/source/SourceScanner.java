package net.gpt2j.converter.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import net.gpt2j.converter.checkpoint.ShardRegion;

/**
 * Lists a folder or archive and makes its checkpoint-related files readable: small files
 * (checkpoint, hparams.json, index, tokenizer) are extracted; shards stay where they are when the
 * archive stores them uncompressed (.tar, stored .zip entries) and are extracted otherwise
 * (.tar.gz, deflated .zip entries). Every entry is checked first: names that escape the folder,
 * links and devices are refused, naming the entry.
 */
final class SourceScanner {

    /** What a scan found: the relevant files, made readable, and every file name (for error messages). */
    record Scan(List<SourceMember> members, List<String> allFiles) {}

    enum Kind { FOLDER, TAR, TAR_GZ, ZIP }

    private static final Set<String> NAMED = Set.of("checkpoint", "hparams.json", "encoder.json", "vocab.bpe");
    static final Pattern SHARD = Pattern.compile("(.+)\\.data-(\\d{5})-of-(\\d{5})");
    /** How deep a folder is searched: the folder itself plus two levels (e.g. models/124M/). */
    private static final int FOLDER_DEPTH = 3;

    private SourceScanner() {}

    static Kind kindOf(Path src) throws SourceException {
        if (Files.isDirectory(src)) {
            return Kind.FOLDER;
        }
        String name = src.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(src)) {
            throw new SourceException("checkpoint source " + src + " does not exist (expected a folder, .tar, .tar.gz, .tgz or .zip)");
        }
        if (name.endsWith(".tar")) {
            return Kind.TAR;
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return Kind.TAR_GZ;
        }
        if (name.endsWith(".zip")) {
            return Kind.ZIP;
        }
        throw new SourceException("checkpoint source " + src + " is neither a folder nor a .tar, .tar.gz, .tgz or .zip archive");
    }

    static boolean relevant(String baseName) {
        return NAMED.contains(baseName) || baseName.endsWith(".index") || SHARD.matcher(baseName).matches();
    }

    private static boolean isShard(String name) {
        return SHARD.matcher(name.substring(name.lastIndexOf('/') + 1)).matches();
    }

    private static String baseName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    static Scan scan(Path src, Kind kind, Scratch scratch) throws IOException {
        switch (kind) {
            case FOLDER:
                return folder(src);
            case TAR:
                return tar(src, scratch);
            case TAR_GZ:
                return tarGz(src, scratch);
            case ZIP:
                return zip(src, scratch);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    private static Scan folder(Path src) throws IOException {
        List<SourceMember> members = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src, FOLDER_DEPTH)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String name = src.relativize(f).toString().replace('\\', '/');
                all.add(name);
                if (relevant(f.getFileName().toString())) {
                    members.add(new SourceMember(name, ShardRegion.wholeFile(f, Files.size(f))));
                }
            }
        }
        return new Scan(members, all);
    }

    private static Scan tar(Path src, Scratch scratch) throws IOException {
        String archive = src.toString();
        List<SourceMember> members = new ArrayList<>();
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (TarFile tar = new TarFile(src)) {
            for (TarArchiveEntry e : tar.getEntries()) {
                String name = checkTarEntry(e, archive, seen);
                if (name == null) {
                    continue;
                }
                all.add(name);
                if (!relevant(baseName(name))) {
                    continue;
                }
                if (isShard(name) && !e.isSparse()) {
                    // read in place: the member's bytes are contiguous in the uncompressed archive
                    members.add(new SourceMember(name, new ShardRegion(src, e.getDataOffset(), e.getSize(), archive + "!" + name)));
                } else {
                    try (InputStream in = tar.getInputStream(e)) {
                        members.add(extracted(name, scratch.extract(name, in)));
                    }
                }
            }
        } catch (SourceException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceException("cannot read tar archive " + archive + ": " + e.getMessage(), e);
        }
        return new Scan(members, all);
    }

    private static Scan tarGz(Path src, Scratch scratch) throws IOException {
        String archive = src.toString();
        List<SourceMember> members = new ArrayList<>();
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(src), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw, true))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = checkTarEntry(e, archive, seen);
                if (name == null) {
                    continue;
                }
                all.add(name);
                if (relevant(baseName(name))) {
                    // a compressed stream cannot be mapped: everything relevant is unpacked
                    members.add(extracted(name, scratch.extract(name, tar)));
                }
            }
        } catch (SourceException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceException("cannot read tar.gz archive " + archive + ": " + e.getMessage(), e);
        }
        return new Scan(members, all);
    }

    /** Returns the entry's safe relative name, null for folders; refuses links, devices and duplicates. */
    private static String checkTarEntry(TarArchiveEntry e, String archive, Set<String> seen) throws SourceException {
        String name = EntryNames.safeRelative(e.getName(), archive);
        if (e.isSymbolicLink() || e.isLink()) {
            throw new SourceException("archive " + archive + " has a " + (e.isSymbolicLink() ? "symbolic" : "hard")
                    + " link entry, refused: " + e.getName() + " -> " + e.getLinkName());
        }
        if (e.isDirectory()) {
            return null;
        }
        if (!e.isFile()) {
            throw new SourceException("archive " + archive + " has an entry that is not a regular file "
                    + "(device, FIFO or unknown type), refused: " + e.getName());
        }
        if (!seen.add(name)) {
            throw new SourceException("archive " + archive + " holds the entry " + name + " twice; refusing to guess which is meant");
        }
        return name;
    }

    private static Scan zip(Path src, Scratch scratch) throws IOException {
        String archive = src.toString();
        List<SourceMember> members = new ArrayList<>();
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (ZipFile zip = ZipFile.builder().setPath(src).get()) {
            for (ZipArchiveEntry e : (Iterable<ZipArchiveEntry>) () -> zip.getEntriesInPhysicalOrder().asIterator()) {
                String name = EntryNames.safeRelative(e.getName(), archive);
                if (e.isUnixSymlink()) {
                    throw new SourceException("archive " + archive + " has a symbolic link entry, refused: " + e.getName());
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (!seen.add(name)) {
                    throw new SourceException("archive " + archive + " holds the entry " + name + " twice; refusing to guess which is meant");
                }
                all.add(name);
                if (!relevant(baseName(name))) {
                    continue;
                }
                if (e.getGeneralPurposeBit().usesEncryption()) {
                    throw new SourceException("archive " + archive + " entry " + name + " is encrypted, which is not supported");
                }
                if (isShard(name) && e.getMethod() == ZipEntry.STORED) {
                    try (InputStream ignored = zip.getRawInputStream(e)) {
                        // opening it makes ZipFile locate the entry's data (it reads the local header lazily)
                    }
                    if (e.getDataOffset() >= 0 && e.getCompressedSize() == e.getSize()) {
                        members.add(new SourceMember(name, new ShardRegion(src, e.getDataOffset(), e.getSize(), archive + "!" + name)));
                        continue;
                    }
                }
                try (InputStream in = zip.getInputStream(e)) {
                    members.add(extracted(name, scratch.extract(name, in)));
                }
            }
        } catch (SourceException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceException("cannot read zip archive " + archive + ": " + e.getMessage(), e);
        }
        return new Scan(members, all);
    }

    private static SourceMember extracted(String name, Path file) throws IOException {
        return new SourceMember(name, new ShardRegion(file, 0, Files.size(file), name));
    }
}
