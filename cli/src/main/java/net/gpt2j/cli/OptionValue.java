package net.gpt2j.cli;

import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * An option value a command cannot use whatever the files or the model ({@code --device gpu},
 * {@code --timeout 0}) is a usage error, status 2, as a value picocli itself cannot convert is: thrown as
 * picocli's {@link ParameterException}, it is printed by {@link UsageError}. A value that is fine as an
 * argument but fails for what it names (a missing file, a prompt too long for the model) stays a failed
 * run, status 1.
 */
final class OptionValue {

    private OptionValue() {}

    /** {@code value} of {@code option} read by a library's parser; what the parser refuses is a usage error naming the option. */
    static <T> T parse(CommandSpec spec, String option, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage(), e);
        }
    }

    /** A usage error the command found itself; {@code message} names the option and what it expected. */
    static ParameterException refused(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
