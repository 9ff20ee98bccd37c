package net.gpt2j.kit.check;

import java.util.Arrays;
import java.util.Locale;

/** Number formatting for reports: differences in short scientific form, values with enough digits to see a 1e-6 change. */
final class Fmt {

    private Fmt() {}

    static String e(double d) {
        return String.format(Locale.ROOT, "%.1e", d);
    }

    static String v(double d) {
        return String.format(Locale.ROOT, "%.7g", d);
    }

    /** At most {@code max} ids, then an ellipsis. */
    static String ids(int[] a, int from, int max) {
        int to = Math.min(a.length, from + max);
        String s = Arrays.toString(Arrays.copyOfRange(a, Math.min(from, a.length), to));
        return to < a.length ? s.substring(0, s.length() - 1) + ", ...]" : s;
    }

    static String quote(String s, int max) {
        String escaped = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
                .replace("\"", "\\\"");
        return "\"" + (escaped.length() > max ? escaped.substring(0, max) + "..." : escaped) + "\"";
    }
}
