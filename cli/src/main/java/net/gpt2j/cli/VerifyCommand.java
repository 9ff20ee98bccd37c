package net.gpt2j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import net.gpt2j.cli.port.RuntimePortProvider;
import net.gpt2j.kit.KitResult;
import net.gpt2j.kit.KitRunner;
import net.gpt2j.runtime.model.DeviceChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Run the compatibility kit against this runtime: every packaged golden case by default "
                + "(synthetic fixtures written, converted and run end to end), or the given golden files.")
final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--golden", description = "A golden file (model, activations, tokenizer or real-gpt2 format); repeatable. Default: all packaged goldens.")
    List<Path> golden = List.of();

    @Option(names = "--model", description = "A converted folder to test instead of building each golden's fixture.")
    Path model;

    @Option(names = "--checkpoint", description = "An OpenAI checkpoint folder: also run real-gpt2.json's cases for its size.")
    Path checkpoint;

    @Option(names = "--report-dir", defaultValue = "reports/verify", description = "JUnit XML and kit-report.md go here. Default: ${DEFAULT-VALUE}.")
    Path reportDir;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda.")
    String device;

    @Override
    public Integer call() throws Exception {
        TorchThreads.oneUnlessChosen();
        KitResult result = run(golden, model, checkpoint, reportDir, DeviceChoice.parse(device));
        return result.success() ? 0 : 1;
    }

    static KitResult run(List<Path> golden, Path model, Path checkpoint, Path reportDir, DeviceChoice device) throws Exception {
        Path work = Files.createTempDirectory("gpt2-verify-");
        try (RuntimePortProvider provider = new RuntimePortProvider(work, model, device)) {
            KitRunner runner = KitRunner.forProvider(provider).goldenFiles(golden).reportDir(reportDir);
            if (checkpoint != null) {
                runner.checkpoint(checkpoint);
            }
            KitResult result = runner.run();
            // the plain closing line CI tools read: "N passed, N failed, N skipped"
            System.out.println("verify: " + result.passed() + " passed, " + result.failed() + " failed, "
                    + result.skipped() + " skipped");
            return result;
        }
    }
}
