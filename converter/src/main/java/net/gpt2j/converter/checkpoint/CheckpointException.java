package net.gpt2j.converter.checkpoint;

import java.io.IOException;

/** A checkpoint that cannot be read as it should: the message names the file and the tensor. */
public class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
