package net.gpt2j.converter.checkpoint;

/**
 * The index's header entry (empty key): a BundleHeaderProto. {@code version} is the VersionDef
 * sub-message kept as raw bytes, since nothing here interprets it beyond copying it.
 */
public record BundleHeader(int numShards, int endianness, int producerVersion, byte[] version) {

    /** BundleHeaderProto.Endianness.LITTLE (the proto default). */
    public static final int LITTLE = 0;
}
