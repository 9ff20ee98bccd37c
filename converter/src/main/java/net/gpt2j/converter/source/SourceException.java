package net.gpt2j.converter.source;

import java.io.IOException;

/** A checkpoint source (folder or archive) that cannot be used: the message names the file or entry. */
public class SourceException extends IOException {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
