package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;

/**
 * Sees the model's intermediate values as a forward pass computes them, for activation probes. Names
 * follow the golden activation files: {@code embed}; per block i {@code h{i}.ln_1},
 * {@code h{i}.attn.q}, {@code h{i}.attn.k}, {@code h{i}.attn.v} (the thirds of the fused QKV
 * projection, before the head split), {@code h{i}.attn} (after {@code c_proj}, before the residual),
 * {@code h{i}.ln_2}, {@code h{i}.mlp.c_fc} (before GELU), {@code h{i}.mlp} (after {@code c_proj}),
 * {@code h{i}.out}; then {@code ln_f}.
 *
 * <p>Each value is {@code [positions, width]} and lives only during the call: copy what you keep
 * (e.g. {@code value.toFloatArray()}); do not close it.
 */
@FunctionalInterface
public interface ForwardObserver {

    void probe(String name, NDArray value);
}
