package net.gpt2j.format;

import java.io.IOException;

/** An hparams.json (or a config's hparams) that cannot describe a GPT-2 model: the message names the file and the key. */
public class InvalidHparamsException extends IOException {

    public InvalidHparamsException(String message) {
        super(message);
    }

    public InvalidHparamsException(String message, Throwable cause) {
        super(message, cause);
    }
}
