package net.gpt2j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.converter.ConversionResult;
import net.gpt2j.converter.Converter;
import net.gpt2j.converter.FileTrees;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.format.Hparams;
import net.gpt2j.kit.KitResult;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.model.DeviceChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "The main job on the embedded default: write the synthetic 'tiny' checkpoint in OpenAI's format, "
                + "convert it, generate text with the runtime, then verify every packaged HuggingFace golden and print the report.")
final class PipelineCommand implements Callable<Integer> {

    /** The "tiny" fixture of golden/data/fixtures.json. */
    static final long TINY_SEED = 1;
    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);

    @Spec
    CommandSpec spec;

    @Option(names = "--work-dir", defaultValue = "work/pipeline", description = "Where the checkpoint and the converted folder are written.")
    Path workDir;

    @Option(names = "--report-dir", defaultValue = "reports/pipeline", description = "Where the JUnit XML and kit-report.md go.")
    Path reportDir;

    @Option(names = "--prompt", defaultValue = "Every effort moves you", description = "The prompt of the greedy and beam examples.")
    String prompt;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda.")
    String device;

    @Override
    public Integer call() throws Exception {
        DeviceChoice dev = OptionValue.parse(spec, "--device", device, DeviceChoice::parse); // before any work
        TorchThreads.oneUnlessChosen();
        NativeLogs.quietTensorFlowStart();
        Path checkpoint = workDir.resolve("tiny-checkpoint");
        Path converted = workDir.resolve("tiny-converted");
        FileTrees.deleteRecursively(checkpoint);
        System.out.println("1. fixture  : writing synthetic checkpoint (seed " + TINY_SEED + ", " + TINY + ") to " + checkpoint);
        new FixtureWriter().write(TINY_SEED, TINY, checkpoint);

        System.out.println("2. convert  : " + checkpoint + " -> " + converted);
        ConversionResult result = new Converter(ConversionListener.SILENT).convert(checkpoint, converted, true);
        System.out.println("             " + result.tensors().size() + " tensors written in the hub's GPT-2 layout");

        try (Gpt2Runtime runtime = Gpt2Runtime.load(converted, dev)) {
            System.out.println("3. generate : on " + runtime.model().device() + ", prompt \"" + prompt + "\"");
            int[] ids = runtime.tokenizer().encode(prompt);
            GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(16).build();
            GenerationConfig beam = GenerationConfig.builder().maxNewTokens(16).numBeams(4).build();
            print("greedy", runtime, runtime.greedy(PromptBatch.single(ids), greedy)[0]);
            print("beam(4)", runtime, runtime.beam(PromptBatch.single(ids), beam, BeamLengthConvention.HF_4_57).sequences()[0]);
        }

        System.out.println("4. verify   : every packaged golden against the runtime (fixtures written, converted, loaded)");
        KitResult verdict = VerifyCommand.run(List.of(), null, null, reportDir, dev);
        VerifyCommand.printReasons(verdict, System.out);
        return verdict.success() ? 0 : 1;
    }

    private static void print(String what, Gpt2Runtime runtime, int[] ids) {
        System.out.println("   " + what + ": " + java.util.Arrays.toString(ids));
        System.out.println("   " + " ".repeat(what.length()) + "  \"" + runtime.tokenizer().decode(ids).replace("\n", "\\n") + "\"");
    }
}
