package net.gpt2j.converter.checkpoint;

import java.nio.file.Path;

/**
 * Where one data shard's bytes are: {@code length} bytes of {@code file} starting at {@code base}.
 * A plain shard file is {@code (path, 0, size)}; a shard stored uncompressed inside a .tar or .zip
 * is {@code (archive, offsetOfItsContent, itsLength)}, which lets {@link JavaCheckpointReader} map it
 * without unpacking. {@code name} is what error messages call the shard (e.g. its file name, or
 * "archive.tar!model.ckpt.data-00000-of-00001").
 */
public record ShardRegion(Path file, long base, long length, String name) {

    public ShardRegion {
        if (base < 0 || length < 0) {
            throw new IllegalArgumentException("shard region " + name + " has negative base " + base + " or length " + length);
        }
    }

    /** A whole shard file. */
    public static ShardRegion wholeFile(Path file, long length) {
        return new ShardRegion(file, 0, length, file.toString());
    }
}
