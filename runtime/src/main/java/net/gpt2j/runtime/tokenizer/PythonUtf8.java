package net.gpt2j.runtime.tokenizer;

/**
 * UTF-8 decoding as Python's {@code bytes.decode("utf-8", errors="replace")}, which is how
 * HuggingFace's {@code GPT2Tokenizer} turns token bytes into text (its {@code errors="replace"}).
 *
 * <p>Each maximal prefix of a valid sequence that cannot be completed becomes one U+FFFD, and a
 * byte that cannot start a sequence becomes one U+FFFD (Unicode's "maximal subpart" practice). Java's
 * own decoder differs on encoded surrogates ({@code ED A0..BF}): Python treats {@code ED} alone as
 * the invalid prefix and then each following byte on its own, Java does not always, so it is not
 * used here.
 */
final class PythonUtf8 {

    private static final char REPLACEMENT = '\uFFFD';

    private PythonUtf8() {}

    static String decode(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int needed;
            int secondLow = 0x80;
            int secondHigh = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                needed = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                needed = 2;
                if (b0 == 0xE0) {
                    secondLow = 0xA0; // shorter forms are overlong
                } else if (b0 == 0xED) {
                    secondHigh = 0x9F; // A0..BF would encode a surrogate
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                needed = 3;
                if (b0 == 0xF0) {
                    secondLow = 0x90; // overlong
                } else if (b0 == 0xF4) {
                    secondHigh = 0x8F; // above U+10FFFF
                }
            } else {
                out.append(REPLACEMENT); // a continuation byte, C0, C1 or F5..FF cannot start a sequence
                i++;
                continue;
            }
            int codePoint = b0 & (0x3F >> needed);
            int j = i + 1;
            boolean complete = true;
            for (int k = 0; k < needed; k++, j++) {
                int low = k == 0 ? secondLow : 0x80;
                int high = k == 0 ? secondHigh : 0xBF;
                if (j >= length || (bytes[j] & 0xFF) < low || (bytes[j] & 0xFF) > high) {
                    complete = false;
                    break;
                }
                codePoint = (codePoint << 6) | (bytes[j] & 0x3F);
            }
            if (complete) {
                out.appendCodePoint(codePoint);
            } else {
                out.append(REPLACEMENT); // bytes i..j-1 are the valid but unfinished prefix
            }
            i = j;
        }
        return out.toString();
    }
}
