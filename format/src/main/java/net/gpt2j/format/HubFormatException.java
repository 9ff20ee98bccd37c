package net.gpt2j.format;

import java.io.IOException;

/** A hub model folder that is missing a file or holds one this project cannot read; the message names it. */
public class HubFormatException extends IOException {
    public HubFormatException(String message) {
        super(message);
    }

    public HubFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
