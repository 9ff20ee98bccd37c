package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.List;

/**
 * A throwable as one line per link of its cause chain, outermost first, so a port provider that
 * fails through reflection or a wrapper shows its real cause (say a {@code NoClassDefFoundError} for
 * a missing {@code --add-modules}) instead of {@code InvocationTargetException}.
 */
final class CauseChain {

    private CauseChain() {}

    /** {@code Type: message} of the innermost cause: what actually went wrong. */
    static String root(Throwable t) {
        List<Throwable> chain = links(t);
        return describe(chain.get(chain.size() - 1));
    }

    /** Every link, outermost first, as {@code Type: message}, joined with {@code " <- caused by "}. */
    static String full(Throwable t) {
        return String.join("\n    caused by ", links(t).stream().map(CauseChain::describe).toList());
    }

    private static List<Throwable> links(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }
}
