package net.gpt2j.format;

import java.util.List;

/**
 * A list of problems as one message: the first few, then "and N more". A mismatched model can
 * produce thousands of problems (2000 layers claimed, one present); a user needs the first ones
 * and the count, not a 24,000-line message.
 */
public final class Problems {

    /** How many problems a message shows. */
    public static final int SHOWN = 10;

    private Problems() {}

    /** The first {@link #SHOWN} problems joined by {@code separator}, then "and N more" if any were left out. */
    public static String join(List<String> problems, String separator) {
        int shown = Math.min(problems.size(), SHOWN);
        String text = String.join(separator, problems.subList(0, shown));
        return shown < problems.size() ? text + separator + "... and " + (problems.size() - shown) + " more" : text;
    }
}
