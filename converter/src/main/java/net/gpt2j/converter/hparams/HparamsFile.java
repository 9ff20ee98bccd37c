package net.gpt2j.converter.hparams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HparamsJson;
import net.gpt2j.format.InvalidHparamsException;

/**
 * The converter's entry to {@link HparamsJson} (the one hparams.json parser, in format/), keeping
 * the converter's {@link HparamsException} so callers catch one family of exceptions.
 */
public final class HparamsFile {

    /** The keys OpenAI's file holds, all required. */
    public static final List<String> KEYS = HparamsJson.KEYS;

    private HparamsFile() {}

    public static Hparams read(Path file) throws IOException {
        try {
            return HparamsJson.read(file);
        } catch (InvalidHparamsException e) {
            throw new HparamsException(e.getMessage(), e);
        }
    }

    /** Parses the file's bytes; {@code source} names the file in error messages. */
    public static Hparams parse(byte[] json, String source) throws HparamsException {
        try {
            return HparamsJson.parse(json, source);
        } catch (InvalidHparamsException e) {
            throw new HparamsException(e.getMessage(), e);
        }
    }
}
