package net.gpt2j.runtime.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GenerationConfig} setting whose value can never be used, whatever the model or prompt
 * ({@code num_beams} 0, {@code top_p} 1.5): the caller's mistake, not the run's. It names the settings
 * it is about in HF's spelling ({@code max_new_tokens}), so a front end can say it in its own words
 * (the command line names its {@code --max-new-tokens} option) without repeating the rules. A request
 * that fails only with a given model (a prompt longer than its context) is a plain
 * {@link IllegalArgumentException} instead.
 */
public final class InvalidGenerationSetting extends IllegalArgumentException {

    private final List<String> settings;

    /**
     * @param message what is wrong, naming the settings as HF spells them
     * @param setting the setting refused
     * @param others further settings the message names (the one it disagrees with)
     */
    public InvalidGenerationSetting(String message, String setting, String... others) {
        super(message);
        List<String> all = new ArrayList<>(List.of(setting));
        all.addAll(List.of(others));
        this.settings = List.copyOf(all);
    }

    /** The setting refused, in HF's spelling: {@code max_new_tokens}. */
    public String setting() {
        return settings.get(0);
    }

    /** Every setting the message names, the refused one first. */
    public List<String> settings() {
        return settings;
    }
}
