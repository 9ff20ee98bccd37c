package net.gpt2j.runtime.model;

import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.gpt2j.format.MappedTensor;

/**
 * Where {@link Gpt2Model} reads its tensors from, by the hub's unprefixed name ({@code wte.weight},
 * {@code h.0.attn.c_attn.weight}, ...; see {@code net.gpt2j.format.HubNames}). Small on purpose:
 * an in-memory map and a memory-mapped safetensors file can both implement it.
 */
@FunctionalInterface
public interface WeightSource {

    /** The tensor called {@code name}, or empty when the source has none by that name. */
    Optional<WeightTensor> tensor(String name);

    /** A source over tensors already in memory, e.g. the converter's in-memory output. */
    static WeightSource of(Collection<MappedTensor> tensors) {
        Map<String, MappedTensor> byName = new HashMap<>();
        for (MappedTensor t : tensors) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor " + t.name() + " is given twice");
            }
        }
        return of(byName);
    }

    /** A source over a map from hub name to tensor (the map's keys are the names looked up). */
    static WeightSource of(Map<String, MappedTensor> tensors) {
        Map<String, MappedTensor> copy = Map.copyOf(tensors);
        return name -> Optional.ofNullable(copy.get(name))
                .map(t -> new WeightTensor(t.spec().shape(), FloatBuffer.wrap(t.data())));
    }
}
