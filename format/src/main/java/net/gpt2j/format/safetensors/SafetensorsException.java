package net.gpt2j.format.safetensors;

import java.io.IOException;

/** A safetensors file that is malformed or misused: the message names the file and the tensor. */
public class SafetensorsException extends IOException {
    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
