package net.gpt2j.kit.golden;

import java.util.Map;

/** The {@code recorded_with} block: library versions and device, as strings. */
public record RecordedWith(Map<String, String> entries) {

    public RecordedWith {
        entries = Map.copyOf(entries);
    }

    /** The {@code transformers} version, or {@code "unknown"}. Beam scoring depends on it. */
    public String transformers() {
        return entries.getOrDefault("transformers", "unknown");
    }
}
