package net.gpt2j.cli;

import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error (status 2) reads as every other failure does, one line: {@code gpt2 generate: error: Unknown
 * option: '--max-new-token' (did you mean --max-new-tokens? try 'gpt2 generate --help')}. picocli's own
 * handler prints the problem without {@code error:}, its suggestions and where help is on separate lines,
 * which a script reading the first line of stderr would lose.
 */
final class UsageError implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        ex.getCommandLine().getErr().println(line(ex));
        ex.getCommandLine().getErr().flush();
        return Gpt2.USAGE;
    }

    /** The problem, picocli's suggestions for a mistyped name, and where the command's help is. */
    static String line(ParameterException ex) {
        String command = ex.getCommandLine().getCommandSpec().qualifiedName();
        String hint = "try '" + command + " --help'";
        List<String> suggestions = ex instanceof UnmatchedArgumentException u ? u.getSuggestions() : List.of();
        if (!suggestions.isEmpty()) {
            hint = "did you mean " + String.join(" or ", suggestions) + "? " + hint;
        }
        return command + ": error: " + problem(ex.getMessage()) + " (" + hint + ")";
    }

    /** picocli's message as one clause: some start "Error: " (this line says it already) or end with a full stop. */
    private static String problem(String message) {
        String m = message == null ? "invalid arguments" : message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining(" "));
        if (m.startsWith("Error: ")) {
            m = m.substring("Error: ".length());
        }
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }
}
