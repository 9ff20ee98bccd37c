package net.gpt2j.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PreTokenizerTest {

    /**
     * java.util.regex with UNICODE_CHARACTER_CLASS: \s is White_Space, as in Python's regex module.
     * (Without the flag Java's \s is ASCII only and U+00A0, U+3000 would not count.)
     */
    private static final Pattern JAVA_REGEX = Pattern.compile(PreTokenizer.PATTERN, Pattern.UNICODE_CHARACTER_CLASS);

    private static List<String> scan(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int end = PreTokenizer.tokenEnd(text, i, text.length());
            assertThat(end).as("progress at %d in %s", i, text).isGreaterThan(i);
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    private static List<String> findAll(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = JAVA_REGEX.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    @Test
    void scannerMatchesTheRegexOnEveryGoldenText() {
        for (GoldenTokenizerCases c : GoldenTokenizerCases.load()) {
            assertThat(scan(c.text())).as(c.displayName()).isEqualTo(findAll(c.text()));
        }
    }

    @Test
    void scannerMatchesTheRegexOnRandomTextOfTrickyCharacters() {
        // Letters, digits of several kinds (Nd, Nl, No), marks, symbols outside the BMP, every sort
        // of whitespace the pattern distinguishes, and the apostrophe forms.
        String[] alphabet = {
            " ", " ", " ", "\t", "\n", "\r", "\u000B", "\u0085", "\u00A0", "\u2009", "\u3000", "\u2028",
            "\u200B", "\u001C", "'", "'", "s", "t", "re", "ve", "m", "ll", "d", "S", "a", "Z", "é",
            "中", "1", "٣", "Ⅻ", "½", ".", "!", "-", "😀", "𝐀", "\u0301", "_", "<|", "\uD840\uDC00",
        };
        Random random = new Random(20260522);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = text.toString();
            assertThat(scan(s)).as("pieces of %s", s.codePoints()
                    .mapToObj(cp -> String.format("U+%04X", cp)).toList()).isEqualTo(findAll(s));
        }
    }

    @Test
    void whitespaceAndClassesFollowPythonsRegexModule() {
        // Each expectation is regex.findall(PATTERN, text) from Python's regex 2026.5.9 (Unicode 17).
        // U+31350 is a CJK Extension H letter, unassigned in Java 17's Unicode 13.
        assertThat(scan("a\uD884\uDF50b c")).containsExactly("a\uD884\uDF50b", " c");
        // U+001C is whitespace to Python's str.isspace and Java's isWhitespace, but not to \s here.
        assertThat(scan("x \u001Cy\u001C\u001C z")).containsExactly("x", " \u001C", "y", "\u001C\u001C", " z");
        assertThat(scan("\u200Bzero\u200B width")).containsExactly("\u200B", "zero", "\u200B", " width");
        assertThat(scan("it's 'S 'sx ''ll")).containsExactly("it", "'s", " '", "S", " '", "sx", " ''", "ll");
        assertThat(scan("a \u00A0\u00A0b")).containsExactly("a", " \u00A0", "\u00A0", "b");
        assertThat(scan("\u3000\u3000x\u3000")).containsExactly("\u3000", "\u3000", "x", "\u3000");
        assertThat(scan("ab  \n\n  cd \t")).containsExactly("ab", "  \n\n ", " cd", " \t");
        assertThat(scan("x\u0301y 1\u0661\u2160\u00BD a\uD835\uDC00b"))
                .containsExactly("x", "\u0301", "y", " 1\u0661\u2160\u00BD", " a\uD835\uDC00b");
    }

    @Test
    void pieceEndIsTheEndOfTheText() {
        // Before a special token HuggingFace encodes the piece on its own: "a  " ends in a run of two
        // spaces that reaches the end, so it stays whole, although in "a  <|" the last space goes to "<|".
        String text = "a  <|";
        assertThat(PreTokenizer.tokenEnd(text, 1, 3)).isEqualTo(3);
        assertThat(PreTokenizer.tokenEnd(text, 1, text.length())).isEqualTo(2);
    }

    @Test
    @Timeout(5)
    void aMillionSpacesAreScannedInLinearTime() {
        String text = " ".repeat(1_000_000) + "x" + "\n".repeat(1_000_000);
        assertThat(scan(text)).containsExactly(" ".repeat(999_999), " x", "\n".repeat(1_000_000));
    }
}
