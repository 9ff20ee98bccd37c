package net.gpt2j.converter;

import java.io.IOException;

/** A conversion that cannot go ahead: the message names the tensor, file or folder and what was expected. */
public class ConversionException extends IOException {
    public ConversionException(String message) {
        super(message);
    }

    public ConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
