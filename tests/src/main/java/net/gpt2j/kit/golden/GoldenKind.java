package net.gpt2j.kit.golden;

import java.util.Arrays;
import java.util.Optional;

/** The golden file kinds of FORMAT.md, each identified by its {@code format} field. */
public enum GoldenKind {
    MODEL("gpt2-golden/1"),
    TOKENIZER("gpt2-tokenizer-golden/1"),
    ACTIVATIONS("gpt2-activations/1"),
    REAL("gpt2-real-golden/1");

    private final String format;

    GoldenKind(String format) {
        this.format = format;
    }

    /** The exact value of the file's {@code format} field. */
    public String format() {
        return format;
    }

    public static Optional<GoldenKind> ofFormat(String format) {
        return Arrays.stream(values()).filter(k -> k.format.equals(format)).findFirst();
    }
}
