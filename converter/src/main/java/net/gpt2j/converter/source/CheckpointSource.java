package net.gpt2j.converter.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import net.gpt2j.converter.checkpoint.BundleIndex;
import net.gpt2j.converter.checkpoint.CheckpointFiles;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.JavaCheckpointReader;
import net.gpt2j.converter.checkpoint.ReaderKind;
import net.gpt2j.converter.checkpoint.CheckpointReaderProvider;
import net.gpt2j.converter.checkpoint.ShardRegion;

/**
 * An OpenAI GPT-2 checkpoint as the user points at it: a folder, or a {@code .tar}, {@code .tar.gz}
 * / {@code .tgz} or {@code .zip} archive, with the files at the top or under one folder (e.g.
 * {@code 124M/}). Files are found by name: {@code checkpoint} (which names the prefix), {@code
 * hparams.json}, {@code <prefix>.index}, the shards {@code <prefix>.data-NNNNN-of-MMMMM}, {@code
 * encoder.json} and {@code vocab.bpe}, all in the folder holding {@code checkpoint}.
 *
 * <p>Shards of a {@code .tar} or stored {@code .zip} are read in place (a region of the archive);
 * compressed ones are extracted into a scratch folder beside the output, deleted on {@link #close()}.
 */
public final class CheckpointSource implements AutoCloseable {

    public static final String HPARAMS = "hparams.json";
    public static final String ENCODER = "encoder.json";
    public static final String VOCAB = "vocab.bpe";

    private final String description;
    private final Scratch scratch;
    private final SourceMember checkpoint;
    private final SourceMember hparams;
    private final SourceMember index;
    private final List<SourceMember> shards;
    private final SourceMember encoder;
    private final SourceMember vocab;
    private final List<String> absentShards;

    private CheckpointSource(String description, Scratch scratch, SourceMember checkpoint, SourceMember hparams,
            SourceMember index, List<SourceMember> shards, SourceMember encoder, SourceMember vocab, List<String> absentShards) {
        this.description = description;
        this.scratch = scratch;
        this.checkpoint = checkpoint;
        this.hparams = hparams;
        this.index = index;
        this.shards = shards;
        this.encoder = encoder;
        this.vocab = vocab;
        this.absentShards = absentShards;
    }

    /**
     * Opens {@code src}; anything that must be extracted goes into a scratch folder created in
     * {@code scratchParent} (put it beside the output: same disk, and the user knows where to look).
     */
    public static CheckpointSource open(Path src, Path scratchParent) throws IOException {
        return open(src, scratchParent, true);
    }

    /**
     * As {@link #open}, but a source holding the index without its data shards (golden/'s copy of
     * OpenAI's 117M files, say) opens too: its tensors can be listed ({@link #absentShards} says
     * what is missing), not read.
     */
    public static CheckpointSource openForListing(Path src, Path scratchParent) throws IOException {
        return open(src, scratchParent, false);
    }

    private static CheckpointSource open(Path src, Path scratchParent, boolean shardsRequired) throws IOException {
        SourceScanner.Kind kind = SourceScanner.kindOf(src);
        String description = (kind == SourceScanner.Kind.FOLDER ? "folder " : "archive ") + src;
        Scratch scratch = new Scratch(scratchParent, src.getFileName().toString());
        try {
            SourceScanner.Scan scan = SourceScanner.scan(src, kind, scratch);
            return locate(description, scratch, scan, shardsRequired);
        } catch (IOException | RuntimeException e) {
            try {
                scratch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static CheckpointSource locate(String description, Scratch scratch, SourceScanner.Scan scan,
            boolean shardsRequired) throws IOException {
        List<SourceMember> states = scan.members().stream().filter(m -> m.baseName().equals(CheckpointFiles.STATE_FILE)).toList();
        if (states.isEmpty()) {
            throw new SourceException(description + " has no '" + CheckpointFiles.STATE_FILE
                    + "' file (OpenAI's checkpoint names its files through it); found: " + listing(scan.allFiles()));
        }
        if (states.size() > 1) {
            throw new SourceException(description + " holds several checkpoints, in "
                    + states.stream().map(m -> m.folder().isEmpty() ? "./" : m.folder() + "/").toList()
                    + "; point at one of them");
        }
        SourceMember state = states.get(0);
        String folder = state.folder();
        Map<String, SourceMember> inFolder = new TreeMap<>();
        for (SourceMember m : scan.members()) {
            if (m.folder().equals(folder)) {
                inFolder.put(m.baseName(), m);
            }
        }
        // the state file is a real file by now (in the folder, or extracted), so TF's rule can read it
        Path stateFile = state.bytes().file();
        String prefix = stateFile.getParent().relativize(CheckpointFiles.prefix(stateFile.getParent())).toString()
                .replace('\\', '/');
        if (prefix.contains("/")) {
            throw new SourceException(description + ": " + state.name() + " names the prefix '" + prefix
                    + "' in another folder; expected the index and shards beside it");
        }
        List<String> missing = new ArrayList<>();
        SourceMember hparams = require(inFolder, HPARAMS, missing);
        SourceMember index = require(inFolder, prefix + ".index", missing);
        SourceMember encoder = require(inFolder, ENCODER, missing);
        SourceMember vocab = require(inFolder, VOCAB, missing);
        List<String> missingShards = new ArrayList<>();
        List<SourceMember> shards = shards(inFolder, prefix, missingShards);
        List<String> absent = List.of();
        if (shardsRequired) {
            missing.addAll(missingShards);
        } else if (!missingShards.isEmpty() && index != null) {
            absent = shardsTheIndexNames(index, prefix, inFolder);
            shards = List.of(); // listing only: the reader is given no shard at all
        }
        if (!missing.isEmpty()) {
            throw new SourceException(description + " is missing " + missing + " beside " + state.name()
                    + "; found: " + listing(scan.allFiles()));
        }
        return new CheckpointSource(description, scratch, state, hparams, index, shards, encoder, vocab, absent);
    }

    /** The shard files the index's header counts that the folder lacks. */
    private static List<String> shardsTheIndexNames(SourceMember index, String prefix, Map<String, SourceMember> inFolder)
            throws IOException {
        int n = BundleIndex.parse(Files.readAllBytes(index.bytes().file()), index.name()).header().numShards();
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = CheckpointFiles.shardFileName(prefix, i, n);
            if (!inFolder.containsKey(name)) {
                absent.add(name);
            }
        }
        return absent;
    }

    private static SourceMember require(Map<String, SourceMember> inFolder, String name, List<String> missing) {
        SourceMember m = inFolder.get(name);
        if (m == null) {
            missing.add(name);
        }
        return m;
    }

    /** The shards {@code prefix.data-00000-of-0000N} .. {@code N-1}, all present and agreeing on N. */
    private static List<SourceMember> shards(Map<String, SourceMember> inFolder, String prefix, List<String> missing) {
        Map<Integer, SourceMember> byNumber = new TreeMap<>();
        int count = -1;
        for (SourceMember m : inFolder.values()) {
            Matcher s = SourceScanner.SHARD.matcher(m.baseName());
            if (!s.matches() || !s.group(1).equals(prefix)) {
                continue;
            }
            int of = Integer.parseInt(s.group(3));
            if (count >= 0 && of != count) {
                missing.add("shards agreeing on their count (found -of-" + String.format("%05d", count) + " and -of-" + s.group(3) + ")");
                return List.of();
            }
            count = of;
            byNumber.put(Integer.parseInt(s.group(2)), m);
        }
        if (count < 0) {
            missing.add(CheckpointFiles.shardFileName(prefix, 0, 1) + " (or another shard of " + prefix + ")");
            return List.of();
        }
        List<SourceMember> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SourceMember m = byNumber.get(i);
            if (m == null) {
                missing.add(CheckpointFiles.shardFileName(prefix, i, count));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static String listing(List<String> files) {
        if (files.isEmpty()) {
            return "nothing";
        }
        int shown = Math.min(files.size(), 40);
        String list = files.subList(0, shown).stream().collect(Collectors.joining(", ", "[", "]"));
        return shown < files.size() ? list + " and " + (files.size() - shown) + " more" : list;
    }

    /** The shards the index needs that the source lacks (only from {@link #openForListing}; else empty). */
    public List<String> absentShards() {
        return absentShards;
    }

    public String description() {
        return description;
    }

    /** A readable file (in the folder or extracted). */
    public Path hparamsFile() {
        return hparams.bytes().file();
    }

    public Path encoderJson() {
        return encoder.bytes().file();
    }

    public Path vocabBpe() {
        return vocab.bytes().file();
    }

    public SourceMember index() {
        return index;
    }

    /** Shard {@code i} at position {@code i}: a file, or a region of the archive when read in place. */
    public List<SourceMember> shards() {
        return shards;
    }

    /** Every file the conversion reads, in a stable order. */
    public List<SourceMember> members() {
        List<SourceMember> all = new ArrayList<>(List.of(checkpoint, hparams, index));
        all.addAll(shards);
        all.add(encoder);
        all.add(vocab);
        return all;
    }

    public long totalBytes() {
        return members().stream().mapToLong(SourceMember::size).sum();
    }

    /** The pure-Java reader over this source's index and shards (read in place where possible). */
    public JavaCheckpointReader openReader() throws IOException {
        byte[] indexBytes = Files.readAllBytes(index.bytes().file());
        List<ShardRegion> regions = shards.stream().map(SourceMember::bytes).toList();
        return JavaCheckpointReader.fromIndex(indexBytes, index.bytes().name(), regions);
    }

    /** The reader of the given kind over this source. */
    public CheckpointReader openReader(ReaderKind kind) throws IOException {
        if (kind == ReaderKind.JAVA) {
            return openReader();
        }
        // TF's reader opens a prefix on disk: the index's own folder (a folder source, or the scratch copy)
        Path indexFile = index.bytes().file();
        if (!indexFile.getFileName().toString().equals(index.baseName())) {
            throw new SourceException("the TensorFlow reader needs the checkpoint as files on disk; " + description
                    + " is read in place from an archive: unpack it, or use the java reader");
        }
        String name = indexFile.getFileName().toString();
        return CheckpointReaderProvider.of(kind).openPrefix(indexFile.resolveSibling(name.substring(0, name.length() - ".index".length())));
    }

    /** Size and sha256 of every member, hashed from where its bytes are; {@code progress} gets bytes hashed so far. */
    public List<SourceFile> fingerprint(LongConsumer progress) throws IOException {
        List<SourceFile> out = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long done = 0;
        for (SourceMember m : members()) {
            MessageDigest sha = sha256();
            ShardRegion r = m.bytes();
            try (FileChannel ch = FileChannel.open(r.file(), StandardOpenOption.READ)) {
                long pos = r.base();
                long end = r.base() + r.length();
                while (pos < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - pos));
                    int n = ch.read(buffer, pos);
                    if (n < 0) {
                        throw new SourceException(description + ": " + m.name() + " ended after " + (pos - r.base())
                                + " of " + r.length() + " bytes");
                    }
                    buffer.flip();
                    sha.update(buffer);
                    pos += n;
                    done += n;
                    progress.accept(done);
                }
            }
            out.add(new SourceFile(m.name(), m.size(), HexFormat.of().formatHex(sha.digest())));
        }
        return out;
    }

    /** Deletes the scratch folder, if anything was extracted. */
    @Override
    public void close() throws IOException {
        scratch.close();
    }

    /** The scratch folder, or null when nothing was extracted (tests check it is gone after close). */
    Path scratchFolder() {
        return scratch.root();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
