package net.gpt2j.cli;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.gpt2j.runtime.generate.InvalidGenerationSetting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A setting the runtime's {@code GenerationConfig} refuses, said in generate's words. The rules live
 * there and name HF's fields ({@code max_new_tokens must be >= 1, got 0}); generate's options are those
 * names with dashes, so the refusal becomes a usage error (status 2) naming what the user typed
 * ({@code --max-new-tokens must be >= 1, got 0}) without a copy of the rules here.
 */
final class GenerationSettingOptions {

    /** The one field whose option is not its name with dashes: HF's {@code do_sample} is {@code --sample}. */
    private static final Map<String, String> RENAMED = Map.of("do_sample", "--sample");

    private GenerationSettingOptions() {}

    static ParameterException usageError(InvalidGenerationSetting e, CommandSpec generate) {
        return new ParameterException(generate.commandLine(), named(e.getMessage(), e.settings(), generate), e);
    }

    /** {@code message} with each of {@code settings} that has an option written as that option. */
    static String named(String message, Collection<String> settings, CommandSpec generate) {
        for (String setting : settings) {
            String option = option(setting, generate);
            if (option != null) {
                message = Pattern.compile("\\b" + Pattern.quote(setting) + "\\b").matcher(message)
                        .replaceAll(Matcher.quoteReplacement(option));
            }
        }
        return message;
    }

    /** Whether every setting the refusal names was typed on the command line (none left at its default). */
    static boolean allTyped(InvalidGenerationSetting e, CommandSpec generate) {
        return e.settings().stream().allMatch(setting -> {
            String option = option(setting, generate);
            return option != null && generate.commandLine().getParseResult().hasMatchedOption(option);
        });
    }

    /** The command's option for an HF setting, or null where it has none (max_length): that name stays HF's. */
    static String option(String setting, CommandSpec command) {
        String name = RENAMED.getOrDefault(setting, "--" + setting.replace('_', '-'));
        return command.findOption(name) != null ? name : null;
    }
}
