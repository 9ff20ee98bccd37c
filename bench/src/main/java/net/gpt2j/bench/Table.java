package net.gpt2j.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A plain text table of spreads, one measurement per row ("what", min, median, max, unit), so every
 * benchmark prints its figures and the limits measured beside them in the same shape.
 */
final class Table {

    private static final String ROW = "%-60s %9s %9s %9s  %s%n";

    private final PrintStream out;

    Table(PrintStream out, String title) {
        this.out = out;
        out.println();
        out.println("== " + title);
        out.printf(Locale.ROOT, ROW, "what", "min", "median", "max", "unit");
    }

    Table row(String what, Spread s, String unit) {
        out.printf(Locale.ROOT, ROW, what, fmt(s.min()), fmt(s.median()), fmt(s.max()), unit);
        return this;
    }

    /** A figure measured once: shown in the median column. */
    Table single(String what, double value, String unit) {
        out.printf(Locale.ROOT, ROW, what, "", fmt(value), "", unit);
        return this;
    }

    Table note(String text) {
        out.println("   " + text);
        return this;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** The runs in order, for seeing drift or a neighbour's burst. */
    static String runs(Spread s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.inOrder().length; i++) {
            b.append(i == 0 ? "" : ", ").append(fmt(s.inOrder()[i]));
        }
        return b.append(']').toString();
    }
}
