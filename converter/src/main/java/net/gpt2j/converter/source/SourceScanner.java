package net.gpt2j.converter.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
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
        if (!Files.exists(src)) {
            throw new SourceException("checkpoint source " + src + " does not exist (expected a folder, .tar, .tar.gz, .tgz or .zip)");
        }
        if (!Files.isRegularFile(src)) { // a device, a pipe, a socket: nothing to read twice or seek in
            throw new SourceException("checkpoint source " + src + " is neither a folder nor a regular file (expected a folder,"
                    + " .tar, .tar.gz, .tgz or .zip)");
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
        MemberLimits limits = new MemberLimits();
        try (TarFile tar = new TarFile(src)) {
            for (TarArchiveEntry e : smallFilesFirst(tar.getEntries(), TarArchiveEntry::getName)) {
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
                    limits.checkDeclared(archive, name, e.getSize());
                    try (InputStream in = tar.getInputStream(e)) {
                        members.add(extracted(name, extractCapped(scratch, name, in, limits, archive)));
                    }
                }
            }
        } catch (SourceException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceException("cannot read tar archive " + archive + ": " + describe(e), e);
        }
        return new Scan(members, all);
    }

    private static Scan tarGz(Path src, Scratch scratch) throws IOException {
        String archive = src.toString();
        List<SourceMember> members = new ArrayList<>();
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        MemberLimits limits = new MemberLimits();
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
                    // a compressed stream cannot be mapped: everything relevant is unpacked, each member capped
                    limits.checkDeclared(archive, name, e.getSize());
                    members.add(extracted(name, extractCapped(scratch, name, tar, limits, archive)));
                }
            }
        } catch (SourceException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceException("cannot read tar.gz archive " + archive + ": " + describe(e), e);
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
        // commons-compress calls a FIFO or device entry a file when its name has no trailing '/': ask by type
        if (!e.isFile() || e.isFIFO() || e.isCharacterDevice() || e.isBlockDevice()) {
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
        MemberLimits limits = new MemberLimits();
        try (ZipFile zip = ZipFile.builder().setPath(src).get()) {
            for (ZipArchiveEntry e : smallFilesFirst(Collections.list(zip.getEntriesInPhysicalOrder()), ZipArchiveEntry::getName)) {
                String name = EntryNames.safeRelative(e.getName(), archive);
                if (e.isUnixSymlink()) {
                    throw new SourceException("archive " + archive + " has a symbolic link entry, refused: " + e.getName());
                }
                if (isSpecialFile(e)) {
                    throw new SourceException("archive " + archive + " has an entry that is not a regular file "
                            + "(device, FIFO or socket), refused: " + e.getName());
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
                if (e.getSize() >= 0) {
                    limits.checkDeclared(archive, name, e.getSize());
                }
                try (InputStream in = zip.getInputStream(e)) {
                    // the directory's size may lie: the cap holds while inflating
                    members.add(extracted(name, extractCapped(scratch, name, in, limits, archive)));
                }
            }
        } catch (SourceException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceException("cannot read zip archive " + archive + ": " + describe(e), e);
        }
        return new Scan(members, all);
    }

    /** Unix file types a zip entry can carry in its external attributes that are not regular files. */
    private static boolean isSpecialFile(ZipArchiveEntry e) {
        if (e.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX) {
            return false;
        }
        int type = e.getUnixMode() & 0170000;
        return type == 0010000 || type == 0020000 || type == 0060000 || type == 0140000; // FIFO, char, block, socket
    }

    /** Entries with shards last, in their order otherwise: the index is then known before a shard is capped by it. */
    private static <E> List<E> smallFilesFirst(List<E> entries, Function<E, String> name) {
        List<E> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(e -> isShard(name.apply(e))));
        return sorted;
    }

    /** Extracts one member, refusing it as soon as it passes what it may legitimately hold. */
    private static Path extractCapped(Scratch scratch, String name, InputStream in, MemberLimits limits, String archive)
            throws IOException {
        String base = baseName(name);
        long limit = limits.limitFor(base);
        Path file = scratch.extract(name, new CappedInputStream(in, limit,
                () -> limits.tooLarge(archive, name, "more than " + limit + " bytes unpacked", base)));
        if (base.endsWith(".index")) {
            limits.noteIndex(file);
        }
        return file;
    }

    /** An archive read error as a user can act on it: a stream that stops early is a truncated file, never "null". */
    static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof EOFException || message == null || message.isBlank()) {
            return "it ends early (" + e.getClass().getSimpleName() + (message == null ? "" : ": " + message)
                    + "): the file is truncated or was not completely downloaded";
        }
        if (message.toLowerCase(Locale.ROOT).contains("truncated")) {
            return message + ": the file is truncated or was not completely downloaded";
        }
        return message;
    }

    private static SourceMember extracted(String name, Path file) throws IOException {
        return new SourceMember(name, new ShardRegion(file, 0, Files.size(file), name));
    }
}
