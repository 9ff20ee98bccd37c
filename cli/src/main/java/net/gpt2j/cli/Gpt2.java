package net.gpt2j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gpt2} command. Subcommands are thin: they parse arguments and wire the modules
 * (converter, runtime, kit) together; no model logic lives here.
 */
@Command(name = "gpt2", mixinStandardHelpOptions = true, version = "gpt2j 0.1.0",
        description = "Convert OpenAI's GPT-2 release, run it on DJL/PyTorch, and verify it against HuggingFace goldens.",
        subcommands = {
            PipelineCommand.class,
            FixtureCommand.class,
            InspectCommand.class,
            ConvertCommand.class,
            DownloadCommand.class,
            TokenizeCommand.class,
            GenerateCommand.class,
            VerifyCommand.class,
            EnvCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Gpt2 implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it without exiting the JVM. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Gpt2());
        // Errors from the libraries already name the file, tensor or argument: print the message, not a trace.
        cli.setExecutionExceptionHandler((ex, line, parseResult) -> {
            line.getErr().println("gpt2 " + line.getCommandName() + ": error: " + ex.getMessage());
            if (Boolean.getBoolean("gpt2.trace")) {
                ex.printStackTrace(line.getErr());
            }
            return 1;
        });
        return cli;
    }
}
