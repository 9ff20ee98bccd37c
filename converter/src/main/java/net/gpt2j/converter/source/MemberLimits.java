package net.gpt2j.converter.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import net.gpt2j.converter.checkpoint.BundleIndex;
import net.gpt2j.converter.checkpoint.TensorEntry;

/**
 * How many bytes an archive member may legitimately unpack to, enforced while it streams: a 5 MB
 * zip whose encoder.json inflates to gigabytes is refused at the limit, not after writing it all.
 * The small files (checkpoint, hparams.json, the index, encoder.json, vocab.bpe) are capped at
 * {@link #SMALL_FILE_MAX}; a shard at the length its index declares (the end of its last tensor)
 * once the index has been seen, and at {@link #SHARD_MAX} when the archive stores the shard first.
 */
final class MemberLimits {

    /** OpenAI's largest small file is encoder.json at 1.0 MB; the index parser refuses more than this too. */
    static final long SMALL_FILE_MAX = BundleIndex.MAX_INDEX_BYTES;
    /** Before the index is known: the 1558M shard is 6.2 GB; more than twice that is no GPT-2 release. */
    static final long SHARD_MAX = 16L << 30;

    /** Per shard number: the bytes its index says it holds. */
    private final Map<Integer, Long> declared = new HashMap<>();

    /** Reads what an extracted index declares per shard; an index that does not parse declares nothing (the reader reports it later). */
    void noteIndex(Path indexFile) {
        try {
            BundleIndex index = BundleIndex.parse(Files.readAllBytes(indexFile), indexFile.toString());
            for (TensorEntry e : index.entries()) {
                declared.merge(e.shardId(), e.offset() + e.size(), Math::max);
            }
        } catch (IOException | RuntimeException e) {
            declared.clear();
        }
    }

    /** The most bytes the member {@code baseName} may hold. */
    long limitFor(String baseName) {
        Matcher shard = SourceScanner.SHARD.matcher(baseName);
        if (!shard.matches()) {
            return SMALL_FILE_MAX;
        }
        Long fromIndex = declared.get(Integer.parseInt(shard.group(2)));
        return fromIndex != null ? fromIndex : SHARD_MAX;
    }

    /** Why {@link #limitFor} is what it is, for the refusal message. */
    String reasonFor(String baseName) {
        Matcher shard = SourceScanner.SHARD.matcher(baseName);
        if (!shard.matches()) {
            return "the most a GPT-2 checkpoint's small files can need";
        }
        return declared.containsKey(Integer.parseInt(shard.group(2))) ? "what the checkpoint index declares for this shard"
                : "the most a GPT-2 shard can be";
    }

    /** Refuses a member whose declared size (tar header, zip directory) already exceeds its limit. */
    void checkDeclared(String archive, String name, long size) throws SourceException {
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (size > limitFor(base)) {
            throw tooLarge(archive, name, size + " bytes", base);
        }
    }

    SourceException tooLarge(String archive, String name, String size, String base) {
        return new SourceException("archive " + archive + " entry " + name + " is " + size + ", more than the "
                + limitFor(base) + " bytes of " + reasonFor(base) + "; refused");
    }
}
