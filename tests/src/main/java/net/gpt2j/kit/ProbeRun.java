package net.gpt2j.kit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Named activations of one forward pass, keyed as in the activations goldens ({@code embed},
 * {@code h0.ln_1}, {@code h0.attn.q}, ..., {@code ln_f}), each row-major {@code [positions, width]}.
 * A port may report a subset; probes it leaves out are shown as not reported.
 */
public record ProbeRun(Map<String, float[]> activations) {

    public ProbeRun {
        activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
    }

    public Optional<float[]> get(String name) {
        return Optional.ofNullable(activations.get(name));
    }
}
