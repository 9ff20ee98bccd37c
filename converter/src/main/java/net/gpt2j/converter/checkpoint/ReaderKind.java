package net.gpt2j.converter.checkpoint;

/** Which {@link CheckpointReader} a conversion uses. */
public enum ReaderKind {
    /** {@link JavaCheckpointReader}: pure Java, memory-mapped, every crc32c verified. The default. */
    JAVA,
    /** TensorFlow's own C checkpoint reader, for cross-checking: in the gpt2j-tf module (see {@link CheckpointReaderProvider}). */
    TENSORFLOW;

    public static ReaderKind parse(String text) {
        for (ReaderKind k : values()) {
            if (k.name().equalsIgnoreCase(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown reader '" + text + "': expected java or tensorflow");
    }
}
