package net.gpt2j.kit.golden;

/**
 * A golden file that does not follow FORMAT.md. The message always names the file and the field
 * path (e.g. {@code hf-4.57.6/tiny.golden.json: beam[3].sequences_scores: ...}) so a broken or
 * hand-edited file can be fixed without a debugger.
 */
public final class GoldenFormatException extends RuntimeException {

    public GoldenFormatException(String message) {
        super(message);
    }

    public GoldenFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
