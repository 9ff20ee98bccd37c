package net.gpt2j.converter;

import java.io.IOException;
import java.util.concurrent.ExecutionException;

/** Rethrows what a background task of the conversion threw, as itself where it can. */
final class BackgroundFailure {

    private BackgroundFailure() {}

    /**
     * The task's own IOException, RuntimeException or Error is rethrown unchanged (so messages naming a
     * tensor or file reach the user as written); anything else is wrapped, saying {@code what} failed.
     */
    static IOException rethrow(ExecutionException e, String what) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new ConversionException(what + " failed: " + cause, cause);
    }
}
