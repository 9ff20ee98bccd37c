package net.gpt2j.format.tokenizer;

/**
 * GPT-2's {@code bytes_to_unicode}: each of the 256 byte values is written as one printable
 * character, so that {@code encoder.json} and {@code vocab.bpe} can spell byte strings as text.
 * Printable Latin-1 bytes ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ}) stand for themselves; the other
 * 68 take U+0100 onwards in byte order (so the space 0x20 is {@code Ġ}, U+0120, and the newline
 * {@code Ċ}, U+010A). One table for the converter (validating encoder.json) and the runtime (tokenizing).
 */
public final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by character; -1 where the character stands for no byte. */
    private static final short[] CHAR_TO_BYTE = new short[0x100 + 68];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevelAlphabet() {}

    /** The character that spells byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b];
    }

    /** The byte (0..255) a character spells, or -1 if it spells none. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }
}
