package net.gpt2j.converter;

/**
 * How the converter (and the source it reads) tells a user what it is doing. Library code prints
 * nothing itself; the CLI renders phases as progress bars and warnings as lines.
 */
public interface ConversionListener {

    /** Reports nothing: for tests and embedding. */
    ConversionListener SILENT = new ConversionListener() {};

    /** A new phase begins (e.g. "hashing source files"); {@code totalBytes} is its work, 0 if unknown. */
    default void phase(String description, long totalBytes) {}

    /** Progress within the current phase: bytes done so far, and the item (file or tensor) just finished. */
    default void progress(long bytesDone, String item) {}

    /** Something the user should know that does not stop the conversion (e.g. ignored variables). */
    default void warning(String message) {}
}
