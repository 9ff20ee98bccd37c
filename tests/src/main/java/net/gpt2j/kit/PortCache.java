package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the provider once per model spec and remembers the answer, or the failure, so that a
 * provider that cannot build a model fails every case of it with the same message, quickly.
 */
final class PortCache {

    private final PortProvider provider;
    private final Map<ModelSpec, Object> ports = new LinkedHashMap<>();

    PortCache(PortProvider provider) {
        this.provider = provider;
    }

    synchronized Gpt2Port get(ModelSpec spec) {
        Object cached = ports.computeIfAbsent(spec, s -> {
            try {
                Gpt2Port port = provider.portFor(s);
                if (port == null) {
                    return new IllegalStateException("the port provider returned null for " + s);
                }
                return port;
            } catch (Exception e) {
                return new IllegalStateException("the port provider failed for " + s + ": " + e, e);
            }
        });
        if (cached instanceof IllegalStateException e) {
            throw e;
        }
        return (Gpt2Port) cached;
    }

    /** Closes every port that is {@link AutoCloseable}; returns the problems, if any, as text. */
    synchronized List<String> closeAll() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<ModelSpec, Object> e : ports.entrySet()) {
            if (e.getValue() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ex) {
                    problems.add("closing the port for " + e.getKey() + " failed: " + ex);
                }
            }
        }
        ports.clear();
        return problems;
    }
}
