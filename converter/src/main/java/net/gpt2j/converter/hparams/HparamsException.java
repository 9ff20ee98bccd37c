package net.gpt2j.converter.hparams;

import java.io.IOException;

/** An hparams.json that cannot describe a GPT-2 model: the message names the file and the key. */
public class HparamsException extends IOException {
    public HparamsException(String message) {
        super(message);
    }

    public HparamsException(String message, Throwable cause) {
        super(message, cause);
    }
}
