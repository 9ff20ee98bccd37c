package net.gpt2j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.gpt2j.converter.ConversionResult;
import net.gpt2j.converter.Converter;
import net.gpt2j.converter.checkpoint.ReaderKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert OpenAI's GPT-2 release (a folder, or a .tar/.tar.gz/.tgz/.zip archive) into "
                + "model.safetensors + config.json + tokenizer files + manifest.json. Output appears whole or not at all.")
final class ConvertCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "Checkpoint folder or archive.")
    Path src;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--reader", defaultValue = "java",
            description = "java (pure Java, memory-mapped, crc32c verified) or tensorflow (TF's own C checkpoint reader).")
    String reader;

    @Option(names = "--force", description = "Replace an existing output folder (only once the new one is complete).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        ReaderKind kind = OptionValue.parse(spec, "--reader", reader, ReaderKind::parse);
        if (kind == ReaderKind.TENSORFLOW) { // its reader logged nothing here, even under -v; if it ever warns, quietly
            NativeLogs.quietTensorFlowStart();
        }
        ConversionResult result;
        try (ProgressBarListener progress = new ProgressBarListener(System.err)) {
            result = new Converter(progress).convert(src, out, force, kind);
        }
        System.out.printf("converted %s -> %s (hub GPT-2 folder, %d tensors%s)%n", src, result.outputDir(),
                result.tensors().size(),
                result.ignoredVariables().isEmpty() ? "" : ", ignored " + result.ignoredVariables());
        return 0;
    }
}
