package net.gpt2j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code gpt2} command. Subcommands are thin: they parse arguments and wire the modules
 * (converter, runtime, kit) together; no model logic lives here.
 */
@Command(name = "gpt2", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "Convert OpenAI's GPT-2 release, run it on DJL/PyTorch, and verify it against HuggingFace goldens.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Exit status: 0 success, 1 the command failed (one line on stderr says why), 2 bad arguments.",
            "Environment: GPT2_JAVA_OPTS (JVM options, default -Xmx6g -XX:+UseParallelGC -Xmn256m), GPT2_TORCH_THREADS (libtorch threads)."},
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
public final class Gpt2 implements Callable<Integer> {

    /** Exit status of a usage error, as picocli uses it for bad arguments. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print results and errors only: no progress, summaries or warnings.")
    void quiet(boolean on) {
        if (on) {
            Verbosity.set(Verbosity.QUIET);
        }
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Also print native libraries' log lines (TensorFlow, DJL) and, on an error, its Java stack trace.")
    void verbose(boolean on) {
        if (on) {
            Verbosity.set(Verbosity.VERBOSE);
        }
    }

    /** {@code gpt2} alone: the help, on stderr since no command ran, and the usage-error status. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    public static void main(String[] args) {
        GenerationTimings.mainEntered();
        Thread.setDefaultUncaughtExceptionHandler((thread, t) ->
                ErrorReporter.report(t, "(" + thread.getName() + ")", new PrintWriter(System.err, true)));
        int status;
        try {
            status = commandLine().execute(args);
        } catch (Throwable t) { // last resort: even an error while reporting an error stays one line
            status = ErrorReporter.report(t, args.length > 0 ? args[0] : "", new PrintWriter(System.err, true));
        }
        System.exit(status);
    }

    /** Every command's --help shows each option's default after its description. */
    private static void showDefaults(CommandLine cli) {
        cli.getCommandSpec().usageMessage().showDefaultValues(true);
        cli.getSubcommands().values().forEach(Gpt2::showDefaults);
    }

    /** The configured command line; tests call {@code execute} on it without exiting the JVM. */
    public static CommandLine commandLine() {
        Verbosity.set(Verbosity.NORMAL);
        CommandLine cli = new CommandLine(new Gpt2());
        // --special refuse, --device CPU: option values in any case, as users type them
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        showDefaults(cli);
        // a mistyped argument: one line with the problem, picocli's suggestion and where help is, not the whole usage text
        cli.setParameterExceptionHandler(new UsageError());
        // Errors from the libraries already name the file, tensor or argument: print the message, not a trace.
        cli.setExecutionExceptionHandler((ex, line, parseResult) -> ErrorReporter.report(ex, line.getCommandName(), line.getErr()));
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cli.setExecutionStrategy(parseResult -> {
            List<CommandLine> chain = parseResult.asCommandLineList();
            CommandLine ran = chain.get(chain.size() - 1);
            int status;
            try {
                status = runLast.execute(parseResult);
            } catch (CommandLine.ExecutionException | CommandLine.ParameterException e) {
                throw e; // picocli's own handlers print these
            } catch (Error e) { // OutOfMemoryError and kin: picocli lets Errors through
                return ErrorReporter.report(e, ran.getCommandName(), ran.getErr());
            }
            // every command, --help and -V included: results that could not be written are no success
            return status == 0 ? StdoutClosed.statusAfterSuccess(ran.getCommandSpec().qualifiedName(), ran.getOut()) : status;
        });
        return cli;
    }
}
