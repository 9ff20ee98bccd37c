package net.gpt2j.converter.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import net.gpt2j.converter.TokenizerFiles;
import net.gpt2j.converter.checkpoint.BundleIndex;
import net.gpt2j.converter.checkpoint.CheckpointFiles;
import net.gpt2j.converter.checkpoint.IndexAgreement;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HparamsJson;

/**
 * What a downloaded release must be before {@code download} calls it complete. Byte counts alone
 * prove little: a server may send a shorter body than the file, or an HTML error page with status
 * 200. So the seven files are checked as a checkpoint: the state file names {@code model.ckpt}, the
 * index parses and agrees with hparams.json, the one shard is exactly as long as the index says,
 * encoder.json and vocab.bpe parse and agree with n_vocab ({@link TokenizerFiles}); and, for a
 * release whose files are known, each file's size and sha256.
 *
 * <p>Known here: the 124M release's checkpoint, hparams.json, model.ckpt.index, encoder.json and
 * vocab.bpe (size and sha256, from golden/'s copy of OpenAI's 117M files, the same release under
 * its first name) and its shard's size (from that index). Not known: any sha256 of a shard or of
 * model.ckpt.meta, and nothing of 355M, 774M and 1558M beyond the checkpoint-level checks.
 */
public final class ReleaseCheck {

    /** A file's known size and sha256. */
    record Known(long size, String sha256) {}

    static final Map<String, Map<String, Known>> OPENAI = Map.of("124M", Map.of(
            "checkpoint", new Known(77, "dd1b025d2e155283f5e300ce95bf6d5b6bc0f7fe010db73daa6975eb896ab9cb"),
            "hparams.json", new Known(89, "097db6ed93a3d9b8a32532fca9e564c703bed00c73908ecc49d1b05db2199606"),
            "model.ckpt.index", new Known(5215, "71916f763f9746f9b2a06b12d91996cf1084ae008d0424543d39391c5f2dc687"),
            "encoder.json", new Known(1042301, "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783"),
            "vocab.bpe", new Known(456318, "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5"),
            "model.ckpt.data-00000-of-00001", new Known(497759232, null)));

    private static final String PREFIX = "model.ckpt";
    private static final String SHARD = "model.ckpt.data-00000-of-00001";

    private final Map<String, Map<String, Known>> known;

    private ReleaseCheck(Map<String, Map<String, Known>> known) {
        this.known = known;
    }

    /** The checkpoint-level checks plus OpenAI's known sizes and digests: for downloads of OpenAI's releases (or a mirror). */
    public static ReleaseCheck openAi() {
        return new ReleaseCheck(OPENAI);
    }

    /** The checkpoint-level checks only: for a server that serves other (e.g. synthetic) releases. */
    public static ReleaseCheck checkpointOnly() {
        return new ReleaseCheck(Map.of());
    }

    /** Throws naming the first file that is not what release {@code size} must hold; the files are left in place. */
    public void check(Path folder, String size) throws DownloadException {
        try {
            checkKnown(folder, known.getOrDefault(size, Map.of()));
            checkCheckpoint(folder);
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw invalid(folder, size, e.getMessage());
        }
    }

    private void checkKnown(Path folder, Map<String, Known> files) throws IOException {
        for (Map.Entry<String, Known> f : files.entrySet()) {
            Path file = folder.resolve(f.getKey());
            long size = Files.size(file);
            if (size != f.getValue().size()) {
                throw new IOException(file + " is " + size + " bytes; OpenAI's file is " + f.getValue().size());
            }
            String sha = f.getValue().sha256();
            if (sha != null && !sha.equals(sha256(file))) {
                throw new IOException(file + " has sha256 " + sha256(file) + "; OpenAI's file has " + sha);
            }
        }
    }

    private static void checkCheckpoint(Path folder) throws IOException {
        Path prefix = CheckpointFiles.prefix(folder);
        if (!prefix.equals(folder.resolve(PREFIX))) {
            throw new IOException(folder.resolve(CheckpointFiles.STATE_FILE) + " names the prefix " + prefix.getFileName()
                    + ", expected " + PREFIX);
        }
        Hparams h = HparamsJson.read(folder.resolve("hparams.json"));
        Path indexFile = CheckpointFiles.indexFile(prefix);
        long indexSize = Files.size(indexFile);
        if (indexSize > BundleIndex.MAX_INDEX_BYTES) {
            throw new IOException("checkpoint index " + indexFile + " is " + indexSize + " bytes, more than an index can need");
        }
        BundleIndex index = BundleIndex.parse(Files.readAllBytes(indexFile), indexFile.toString());
        if (index.header().numShards() != 1) {
            throw new IOException("checkpoint index " + indexFile + " lists " + index.header().numShards()
                    + " shards; OpenAI's releases have one");
        }
        IndexAgreement.check(index.entries(), h, indexFile.toString());
        long declared = index.entries().stream().mapToLong(e -> e.offset() + e.size()).max().orElse(0);
        Path shard = folder.resolve(SHARD);
        long actual = Files.size(shard);
        if (actual != declared) {
            throw new IOException(shard + " is " + actual + " bytes but its index " + indexFile.getFileName()
                    + " says it holds " + declared + " (a truncated or padded transfer)");
        }
        TokenizerFiles.check(folder.resolve("encoder.json"), folder.resolve("vocab.bpe"), h.nVocab());
        Path meta = folder.resolve("model.ckpt.meta");
        if (Files.size(meta) == 0) {
            throw new IOException(meta + " is empty");
        }
    }

    private static DownloadException invalid(Path folder, String size, String why) {
        return new DownloadException("the downloaded GPT-2 " + size + " in " + folder + " is not a valid release: " + why
                + " (files kept; delete the named file and run download again)");
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
