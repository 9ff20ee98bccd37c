package net.gpt2j.runtime.tokenizer;

import java.io.IOException;

/** An {@code encoder.json} or {@code vocab.bpe} that cannot be GPT-2's: the message names the file and the entry. */
public class TokenizerFileException extends IOException {
    public TokenizerFileException(String message) {
        super(message);
    }

    public TokenizerFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
