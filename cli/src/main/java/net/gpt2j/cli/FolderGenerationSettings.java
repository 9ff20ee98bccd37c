package net.gpt2j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.GenerationConfigFile;
import net.gpt2j.format.Gpt2Constants;
import net.gpt2j.runtime.generate.InvalidGenerationSetting;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The settings {@code generate} takes from the model folder's {@code generation_config.json}, as HF's
 * {@code generate()} takes them (transformers 5.18, {@code _prepare_generation_config}): what the caller
 * gives wins, then the folder's file, then the defaults. Here the caller's settings are the options
 * typed on the command line; an option left at its default does not hide the file's value.
 *
 * <p>{@code max_length} and {@code min_length} count the prompt (its padded length, as HF's
 * {@code input_ids.shape[-1]}), so they become new-token counts only once the prompts are encoded
 * ({@link #maxNewTokens}, {@link #minNewTokens}); {@code max_new_tokens} and {@code min_new_tokens},
 * from either place, take precedence over them, as in HF.
 */
final class FolderGenerationSettings {

    private final GenerationConfigFile.Settings file;
    /** The file's settings that hold: set there and not given on the command line, in the file's order. */
    private final Map<String, Object> taken = new LinkedHashMap<>();

    private FolderGenerationSettings(GenerationConfigFile.Settings file, CommandSpec generate) {
        this.file = file;
        Map<String, Object> values = file.values();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String field = e.getKey();
            boolean overridden = switch (field) { // by an option typed, or by the file's own new-token count
                case "max_length" -> matched(generate, "--max-new-tokens") || values.containsKey("max_new_tokens");
                case "min_length" -> matched(generate, "--min-new-tokens") || values.containsKey("min_new_tokens");
                default -> {
                    String option = GenerationSettingOptions.option(field, generate);
                    yield option != null && matched(generate, option);
                }
            };
            if (!overridden) {
                taken.put(field, e.getValue());
            }
        }
    }

    /** {@code folder}'s file read, against the options {@code generate} was given. */
    static FolderGenerationSettings read(Path folder, CommandSpec generate) throws IOException {
        return new FolderGenerationSettings(GenerationConfigFile.settings(folder), generate);
    }

    private static boolean matched(CommandSpec generate, String option) {
        return generate.commandLine().getParseResult().hasMatchedOption(option);
    }

    Path file() {
        return file.file();
    }

    int integer(String field, int current) {
        return taken.containsKey(field) ? (Integer) taken.get(field) : current;
    }

    double number(String field, double current) {
        return taken.containsKey(field) ? (Double) taken.get(field) : current;
    }

    boolean bool(String field, boolean current) {
        return taken.containsKey(field) ? (Boolean) taken.get(field) : current;
    }

    String text(String field, String current) {
        return taken.containsKey(field) ? (String) taken.get(field) : current;
    }

    /** The fields whose value the file gave, in its order. */
    List<String> takenFields() {
        return List.copyOf(taken.keySet());
    }

    /** The end tokens the file sets, when no option set them; else null. */
    int[] endTokens() {
        return (int[]) taken.get("eos_token_id");
    }

    /**
     * New tokens after a batch padded to {@code paddedPromptLength}: {@code max_length} minus that
     * length where the file's {@code max_length} holds, else {@code current}. A prompt that already
     * fills {@code max_length} is refused, as HF refuses it.
     */
    int maxNewTokens(int current, int paddedPromptLength) {
        if (!taken.containsKey("max_length")) {
            return current;
        }
        int maxLength = (Integer) taken.get("max_length");
        if (paddedPromptLength >= maxLength) {
            throw new IllegalArgumentException(file.file() + " sets max_length " + maxLength + " (prompt and new tokens), but the "
                    + "prompt is " + paddedPromptLength + " tokens: nothing is left to generate (HuggingFace refuses this too); "
                    + "give --max-new-tokens");
        }
        return maxLength - paddedPromptLength;
    }

    /** A length refused against the model's context, saying when the file chose the length. */
    IllegalArgumentException lengthRefusal(IllegalArgumentException e) {
        String field = taken.containsKey("max_new_tokens") ? "max_new_tokens" : taken.containsKey("max_length") ? "max_length" : null;
        return field == null ? e : new IllegalArgumentException(e.getMessage() + " (" + field + " from " + file.file()
                + "; --max-new-tokens overrides it)", e);
    }

    /** The end token's ban in new tokens: {@code min_length} minus the padded prompt where the file's holds, else {@code current}. */
    int minNewTokens(int current, int paddedPromptLength) {
        if (!taken.containsKey("min_length")) {
            return current;
        }
        return Math.max(0, (Integer) taken.get("min_length") - paddedPromptLength);
    }

    /**
     * What the file decided, for stderr: {@code field=value} of each setting taken, or empty when it
     * decided nothing beyond GPT-2's own end token (every GPT-2 folder, ours and HF's, says that much).
     */
    String describeTaken() {
        List<String> parts = new ArrayList<>();
        taken.forEach((field, value) -> {
            if (field.equals("eos_token_id") && Arrays.equals((int[]) value, new int[] {Gpt2Constants.END_OF_TEXT})) {
                return;
            }
            parts.add(field + "=" + (value instanceof int[] ids ? Arrays.toString(ids).replace(" ", "") : value));
        });
        return String.join(", ", parts);
    }

    /** {@code field=value} for each setting the file sets that HF applies and this project does not. */
    List<String> unsupported() {
        return file.unsupported();
    }

    /**
     * The runtime's refusal of the settings in force: a usage error naming the options when only
     * options are involved ({@link GenerationSettingOptions}); when the file set one of them, one line
     * that names the file and which setting came from it (status 1: the folder, not the command line,
     * must change, or an option must override it).
     */
    RuntimeException refusal(InvalidGenerationSetting e, CommandSpec generate) {
        List<String> fromFile = e.settings().stream().filter(taken::containsKey).toList();
        if (fromFile.isEmpty()) {
            return GenerationSettingOptions.usageError(e, generate);
        }
        List<String> fromOptions = e.settings().stream().filter(s -> !taken.containsKey(s)).toList();
        String message = GenerationSettingOptions.named(e.getMessage(), fromOptions, generate);
        return new IllegalArgumentException(message + " (" + String.join(", ", fromFile) + " from " + file.file()
                + "; an option on the command line overrides it)");
    }
}
