package net.gpt2j.runtime.tokenizer;

import static net.gpt2j.runtime.tokenizer.UnicodeClasses.SPACE;

/**
 * GPT-2's pre-tokenization, {@code re.findall} of {@link #PATTERN} as Python's {@code regex} runs
 * it, written out as a scanner.
 *
 * <p>Why not {@link java.util.regex.Pattern}: the alternation backtracks over every whitespace run
 * ({@code \s+(?!\S)} first takes the whole run and then gives one character back), which is
 * quadratic-prone and slow on long runs, and a scanner needs no per-match objects. The pattern's
 * semantics, alternative by alternative, at a match start {@code i}:
 *
 * <ol>
 *   <li>{@code 's|'t|'re|'ve|'m|'ll|'d}: an apostrophe and one of those lowercase endings.
 *   <li>{@code " ?\p{L}+"}, {@code " ?\p{N}+"}, {@code " ?[^\s\p{L}\p{N}]+"}: an optional plain space
 *       (U+0020 only) and then a maximal run of one class.
 *   <li>{@code \s+(?!\S)}: a whitespace run that reaches the end of the text is taken whole; one
 *       that is followed by something else is taken minus its last character (which then starts
 *       the next match, usually as the space of {@code " ?\p{L}+"}), if that leaves anything.
 *   <li>{@code \s+}: what remains, a single whitespace character followed by non-whitespace.
 * </ol>
 *
 * Every character belongs to one of the classes, so the matches tile the text with no gaps.
 */
final class PreTokenizer {

    /** The pattern of OpenAI's {@code encoder.py} and HuggingFace's {@code GPT2Tokenizer}. */
    static final String PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private PreTokenizer() {}

    /**
     * The end (exclusive) of the pre-token that starts at {@code start}; the text is seen only up to
     * {@code limit}, as if it ended there (HuggingFace runs the pattern on each piece between
     * special tokens). Requires {@code start < limit}.
     */
    static int tokenEnd(String text, int start, int limit) {
        char c = text.charAt(start);
        if (c == '\'' && start + 1 < limit) {
            int contraction = contractionLength(text, start, limit);
            if (contraction > 0) {
                return start + contraction;
            }
        }
        if (c == ' ' && start + 1 < limit) {
            byte next = classAt(text, start + 1);
            if (next != SPACE) {
                return runEnd(text, start + 1, limit, next);
            }
        }
        byte cls = classAt(text, start);
        if (cls != SPACE) {
            return runEnd(text, start, limit, cls);
        }
        int end = start + 1;
        while (end < limit && UnicodeClasses.isSpace(text.charAt(end))) {
            end++;
        }
        // \s+(?!\S): give the last character back when something follows and the run is longer than one.
        return end < limit && end - start >= 2 ? end - 1 : end;
    }

    private static int contractionLength(String text, int start, int limit) {
        char c1 = text.charAt(start + 1);
        if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
            return 2;
        }
        if (start + 2 < limit) {
            char c2 = text.charAt(start + 2);
            if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
                return 3;
            }
        }
        return 0;
    }

    /** End of the maximal run of class {@code cls} (LETTER, NUMBER or OTHER) starting at {@code i}. */
    private static int runEnd(String text, int i, int limit, byte cls) {
        while (i < limit) {
            char c = text.charAt(i);
            if (c < 128) {
                if (UnicodeClasses.of(c) != cls) {
                    return i;
                }
                i++;
            } else {
                int cp = text.codePointAt(i);
                if (UnicodeClasses.of(cp) != cls) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return limit;
    }

    private static byte classAt(String text, int i) {
        char c = text.charAt(i);
        return c < 128 ? UnicodeClasses.of(c) : UnicodeClasses.of(text.codePointAt(i));
    }
}
