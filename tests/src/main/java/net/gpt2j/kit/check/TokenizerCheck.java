package net.gpt2j.kit.check;

import java.util.OptionalDouble;
import net.gpt2j.kit.Tolerances;

/** Tokenizer: ids exactly, then the decoded text exactly, naming the first difference. */
public final class TokenizerCheck {

    private TokenizerCheck() {}

    public static CheckResult ids(String text, int[] expected, int[] actual) {
        CheckResult r = SequenceCheck.compare("tokenize", expected, actual, 0, OptionalDouble.empty(), Tolerances.defaults());
        if (r.ok()) {
            return CheckResult.ok("tokenize OK: " + expected.length + " ids identical");
        }
        // the near-tie wording of SequenceCheck means nothing for a tokenizer: keep only its first line
        return CheckResult.notOk(r.report().lines().findFirst().orElse("") + " for " + Fmt.quote(text, 60)
                + "\n  expected " + Fmt.ids(expected, 0, 40) + "\n  got      " + Fmt.ids(actual, 0, 40));
    }

    public static CheckResult decoded(String expected, String actual) {
        if (expected.equals(actual)) {
            return CheckResult.ok("decode OK: " + expected.length() + " chars identical");
        }
        int i = 0;
        while (i < Math.min(expected.length(), actual.length()) && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        return CheckResult.notOk("decode NOT OK: decoding the golden's ids, first difference at char " + i + "\n  expected "
                + Fmt.quote(expected.substring(i), 40) + "\n  got      " + Fmt.quote(actual.substring(i), 40)
                + (looksLikeLatin1(expected, actual) ? "\n  the text looks like UTF-8 bytes read one char per byte"
                        + " (\"café\" as \"cafÃ©\"): map each token's characters back to bytes (GPT-2's byte decoder),"
                        + " then decode the bytes as UTF-8" : ""));
    }

    /** Whether {@code actual} is {@code expected}'s UTF-8 bytes taken as ISO-8859-1 characters (classic mojibake). */
    private static boolean looksLikeLatin1(String expected, String actual) {
        byte[] utf8 = expected.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return utf8.length != expected.length()
                && actual.equals(new String(utf8, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
