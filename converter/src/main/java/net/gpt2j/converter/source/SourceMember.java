package net.gpt2j.converter.source;

import net.gpt2j.converter.checkpoint.ShardRegion;

/**
 * One file of the source: its path inside the folder or archive ({@code 124M/model.ckpt.index}) and
 * where its bytes are now: a file in the folder, a file extracted to scratch, or a region of an
 * uncompressed archive.
 */
public record SourceMember(String name, ShardRegion bytes) {

    public long size() {
        return bytes.length();
    }

    /** The file name without folders. */
    public String baseName() {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** The folder part ("" at the top level). */
    public String folder() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
