package net.gpt2j.kit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.function.Function;
import net.gpt2j.kit.check.CheckResult;

/**
 * One golden case as the kit runs it: the model it needs, the capabilities it needs, and the call
 * plus check against a port. {@code skipReason} is set when the case cannot run at all here (e.g.
 * no real checkpoint given).
 */
record GoldenCase(
        String kind,
        String displayName,
        URI source,
        ModelSpec spec,
        Set<Capability> needs,
        String skipReason,
        Function<Gpt2Port, CheckResult> run) {

    static final String URI_SCHEME = "gpt2j-kit";

    /** An opaque URI {@code gpt2j-kit:<kind>/<file>/<index>} that lets listeners tell the kind of a test. */
    static URI uri(String kind, String file, int index) {
        try {
            return new URI(URI_SCHEME, kind + "/" + file + "/" + index, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build a test source URI for " + file, e);
        }
    }

    /** The kind encoded by {@link #uri}, or null for another URI. */
    static String kindOf(URI uri) {
        if (uri == null || !URI_SCHEME.equals(uri.getScheme())) {
            return null;
        }
        String ssp = uri.getSchemeSpecificPart();
        int slash = ssp.indexOf('/');
        return slash < 0 ? ssp : ssp.substring(0, slash);
    }
}
