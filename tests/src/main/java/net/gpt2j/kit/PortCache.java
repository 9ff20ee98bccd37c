package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the provider once per model spec and remembers the answer, or the failure, so that a
 * provider that cannot build a model fails every case of it with the same one-line message,
 * quickly. The failure's whole cause chain is shown once: in the first case of that spec and in
 * {@link #failures()}, which reports list once per provider failure.
 */
final class PortCache {

    /** A provider failure for one spec: its root cause in one line and its whole cause chain. */
    record ProviderFailure(ModelSpec spec, String rootCause, String causeChain) {

        String oneLine() {
            return "the port provider failed for " + spec + ": " + rootCause;
        }
    }

    private final PortProvider provider;
    private final Map<ModelSpec, Object> ports = new LinkedHashMap<>();

    PortCache(PortProvider provider) {
        this.provider = provider;
    }

    /**
     * The port for {@code spec}; throws {@link PortUnavailableException} when the provider failed,
     * with the cause chain the first time and a pointer to it afterwards.
     */
    synchronized Gpt2Port get(ModelSpec spec) {
        boolean first = !ports.containsKey(spec);
        Object cached = ports.computeIfAbsent(spec, s -> {
            try {
                Gpt2Port port = provider.portFor(s);
                if (port == null) {
                    return new ProviderFailure(s, "it returned null", "(no exception: the provider returned null)");
                }
                return port;
            } catch (Exception | LinkageError e) { // LinkageError: a missing module or class, e.g. no --add-modules
                if (askedForSyntheticWeights(e)) {
                    return new Declined(declinedReason(s));
                }
                return new ProviderFailure(s, CauseChain.root(e), CauseChain.full(e));
            }
        });
        if (cached instanceof Declined d) {
            throw new PortDeclinedException(d.reason());
        }
        if (cached instanceof ProviderFailure f) {
            throw new PortUnavailableException(first
                    ? f.oneLine() + "\n  cause chain (shown once per provider failure):\n    " + f.causeChain()
                    : f.oneLine() + " (cause chain shown once, under the first case of this model and in the report)");
        }
        return (Gpt2Port) cached;
    }

    /** A provider that read synthetic weights from a spec that has none: its cases are skipped, with this reason. */
    private record Declined(String reason) {}

    /** Whether the provider failed by asking a spec without seeded weights for them, somewhere in its cause chain. */
    private static boolean askedForSyntheticWeights(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof NotSyntheticSpecException) {
                return true;
            }
        }
        return false;
    }

    private static String declinedReason(ModelSpec spec) {
        String what = spec.source() == ModelSpec.Source.TOKENIZER_ONLY ? "needs only the vocabulary"
                : "is the real checkpoint " + spec.checkpoint();
        return "the provider asked the " + spec.name() + " spec for synthetic weights, which it has not (it " + what
                + "): return a port for ModelSpec.Source." + spec.source() + " that declares what it can do there,"
                + " or one with no capabilities (Set::of) to skip these cases";
    }

    /** Every provider failure so far, once per spec. */
    synchronized List<ProviderFailure> failures() {
        return ports.values().stream().filter(ProviderFailure.class::isInstance).map(ProviderFailure.class::cast).toList();
    }

    /** Closes every port that is {@link AutoCloseable}; returns the problems, if any, as text. */
    synchronized List<String> closeAll() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<ModelSpec, Object> e : ports.entrySet()) {
            if (e.getValue() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ex) {
                    problems.add("closing the port for " + e.getKey() + " failed: " + CauseChain.root(ex));
                }
            }
        }
        ports.clear();
        return problems;
    }

    /** The provider gave no port for a spec whose weights it cannot read: its cases are skipped. */
    static final class PortDeclinedException extends org.opentest4j.TestAbortedException {

        PortDeclinedException(String message) {
            super(message);
            setStackTrace(new StackTraceElement[0]);
        }
    }

    /** The provider could not give a port for a spec: a case failure whose message is the whole story. */
    static final class PortUnavailableException extends org.opentest4j.AssertionFailedError {

        PortUnavailableException(String message) {
            super(message);
            setStackTrace(new StackTraceElement[0]); // the message says everything; a kit stack trace would only hide it
        }
    }
}
