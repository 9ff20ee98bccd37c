package net.gpt2j.runtime.tokenizer;

/**
 * The three character classes GPT-2's pre-tokenization pattern names ({@code \p{L}}, {@code \p{N}},
 * {@code \s}), decided the way Python's {@code regex} module decides them, which is what
 * HuggingFace's {@code GPT2Tokenizer} runs.
 *
 * <ul>
 *   <li>{@code \s} in {@code regex} is the Unicode White_Space property (25 code points). It is
 *       neither Java's {@link Character#isWhitespace} (which leaves out U+00A0 and takes U+001C..1F)
 *       nor Python's {@code str.isspace}; it is Java's {@code \s} under
 *       {@code UNICODE_CHARACTER_CLASS}. U+200B ZERO WIDTH SPACE is not in it.
 *   <li>{@code \p{L}} and {@code \p{N}} are general categories. Java 17 knows Unicode 13, while
 *       {@code regex} 2026.5.9 knows Unicode 17: the letters and numbers assigned since (CJK
 *       extensions H and J, new scripts) are listed below, taken from {@code regex} itself. They are
 *       consulted only for code points this JVM calls unassigned, so a newer JVM that knows them
 *       agrees anyway.
 * </ul>
 */
final class UnicodeClasses {

    static final byte LETTER = 0;
    static final byte NUMBER = 1;
    static final byte SPACE = 2;
    static final byte OTHER = 3;

    /** Closed ranges [first, last] that are \p{L} in Unicode 17 but unassigned in Unicode 13. */
    private static final int[] LETTERS_SINCE_UNICODE_13 = {
            0x870, 0x887, 0x889, 0x88F, 0x8B5, 0x8B5, 0x8C8, 0x8C9, 0xC5C, 0xC5D, 0xCDC, 0xCDD,
            0x170D, 0x170D, 0x171F, 0x171F, 0x1B4C, 0x1B4C, 0x1C89, 0x1C8A, 0x2C2F, 0x2C2F,
            0x2C5F, 0x2C5F, 0x9FFD, 0x9FFF, 0xA7C0, 0xA7C1, 0xA7CB, 0xA7DC, 0xA7F1, 0xA7F4,
            0x10570, 0x1057A, 0x1057C, 0x1058A, 0x1058C, 0x10592, 0x10594, 0x10595, 0x10597,
            0x105A1, 0x105A3, 0x105B1, 0x105B3, 0x105B9, 0x105BB, 0x105BC, 0x105C0, 0x105F3,
            0x10780, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10940, 0x10959, 0x10D4A,
            0x10D65, 0x10D6F, 0x10D85, 0x10EC2, 0x10EC7, 0x10F70, 0x10F81, 0x11071, 0x11072,
            0x11075, 0x11075, 0x1123F, 0x11240, 0x11380, 0x11389, 0x1138B, 0x1138B, 0x1138E,
            0x1138E, 0x11390, 0x113B5, 0x113B7, 0x113B7, 0x113D1, 0x113D1, 0x113D3, 0x113D3,
            0x11740, 0x11746, 0x11AB0, 0x11ABF, 0x11BC0, 0x11BE0, 0x11DB0, 0x11DDB, 0x11F02,
            0x11F02, 0x11F04, 0x11F10, 0x11F12, 0x11F33, 0x12F90, 0x12FF0, 0x1342F, 0x1342F,
            0x13441, 0x13446, 0x13460, 0x143FA, 0x16100, 0x1611D, 0x16A70, 0x16ABE, 0x16D40,
            0x16D6C, 0x16EA0, 0x16EB8, 0x16EBB, 0x16ED3, 0x16FF2, 0x16FF3, 0x187F8, 0x187FF,
            0x18CFF, 0x18CFF, 0x18D09, 0x18D1E, 0x18D80, 0x18DF2, 0x1AFF0, 0x1AFF3, 0x1AFF5,
            0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B11F, 0x1B122, 0x1B132, 0x1B132, 0x1B155, 0x1B155,
            0x1DF00, 0x1DF1E, 0x1DF25, 0x1DF2A, 0x1E030, 0x1E06D, 0x1E290, 0x1E2AD, 0x1E4D0,
            0x1E4EB, 0x1E5D0, 0x1E5ED, 0x1E5F0, 0x1E5F0, 0x1E6C0, 0x1E6DE, 0x1E6E0, 0x1E6E2,
            0x1E6E4, 0x1E6E5, 0x1E6E7, 0x1E6ED, 0x1E6F0, 0x1E6F4, 0x1E6FE, 0x1E6FF, 0x1E7E0,
            0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE, 0x1E7F0, 0x1E7FE, 0x2A6DE, 0x2A6DF,
            0x2B735, 0x2B73F, 0x2CEA2, 0x2CEAD, 0x2EBF0, 0x2EE5D, 0x31350, 0x33479
    };

    /** Closed ranges [first, last] that are \p{N} in Unicode 17 but unassigned in Unicode 13. */
    private static final int[] NUMBERS_SINCE_UNICODE_13 = {
            0x10D40, 0x10D49, 0x116D0, 0x116E3, 0x11BF0, 0x11BF9, 0x11DE0, 0x11DE9, 0x11F50,
            0x11F59, 0x16130, 0x16139, 0x16AC0, 0x16AC9, 0x16D70, 0x16D79, 0x16FF4, 0x16FF6,
            0x1CCF0, 0x1CCF9, 0x1D2C0, 0x1D2D3, 0x1E4F0, 0x1E4F9, 0x1E5F1, 0x1E5FA
    };

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = classify(c);
        }
    }

    private UnicodeClasses() {}

    /** The class of a code point: {@link #LETTER}, {@link #NUMBER}, {@link #SPACE} or {@link #OTHER}. */
    static byte of(int codePoint) {
        return codePoint < 128 ? ASCII[codePoint] : classify(codePoint);
    }

    /** Whether a UTF-16 unit is White_Space; every White_Space code point is in the BMP. */
    static boolean isSpace(char c) {
        switch (c) {
            case '\t': case '\n': case 0x0B: case '\f': case '\r': case ' ':
            case 0x85: case 0xA0: case 0x1680:
            case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004: case 0x2005:
            case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A:
            case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
                return true;
            default:
                return false;
        }
    }

    private static byte classify(int cp) {
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            case Character.UNASSIGNED:
                if (inRanges(LETTERS_SINCE_UNICODE_13, cp)) {
                    return LETTER;
                }
                return inRanges(NUMBERS_SINCE_UNICODE_13, cp) ? NUMBER : OTHER;
            default:
                return cp <= 0xFFFF && isSpace((char) cp) ? SPACE : OTHER;
        }
    }

    private static boolean inRanges(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
