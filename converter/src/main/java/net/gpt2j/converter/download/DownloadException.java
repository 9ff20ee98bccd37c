package net.gpt2j.converter.download;

import java.io.IOException;

/** A download that failed: the message names the file, its URL and what went wrong. */
public class DownloadException extends IOException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
