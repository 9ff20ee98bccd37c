package net.gpt2j.cli;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.gpt2j.cli.port.RuntimePortProvider;
import net.gpt2j.converter.FileTrees;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubConfig;
import net.gpt2j.kit.GoldenTests;
import net.gpt2j.kit.KitResult;
import net.gpt2j.kit.KitRunner;
import net.gpt2j.kit.ModelSpec;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.model.EngineReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the compatibility kit against this runtime: every packaged golden case by default "
                + "(synthetic fixtures written, converted and run end to end), or the given golden files.",
            "Each failure's reason is printed (the first " + VerifyCommand.SHOWN_FAILURES + "); kit-report.md has them all."})
final class VerifyCommand implements Callable<Integer> {

    /** Failure reasons printed on the console; the rest are counted and left to kit-report.md. */
    static final int SHOWN_FAILURES = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--golden", paramLabel = "FILE",
            description = "A golden file (model, activations, tokenizer or real-gpt2 format); repeatable. Default: all packaged goldens "
                    + "(with --model: those recorded for its shape).")
    List<Path> golden = List.of();

    @Option(names = "--model", paramLabel = "DIR",
            description = "A hub GPT-2 folder to test instead of building each golden's fixture (an OpenAI release folder or "
                    + "archive is converted once into the cache first); goldens recorded for another model shape are left out, "
                    + "each with its reason.")
    Path model;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where an OpenAI release given as --model is converted to "
            + "(default: $GPT2J_CACHE, else ~/.cache/gpt2j).")
    Path cacheDir;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "An OpenAI release folder (hparams.json, model.ckpt.*, encoder.json, vocab.bpe), or a hub folder of it:"
                    + " also run real-gpt2.json's cases for its size.")
    Path checkpoint;

    @Option(names = "--report-dir", defaultValue = "reports/verify", paramLabel = "DIR", description = "JUnit XML and kit-report.md go here.")
    Path reportDir;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda (cuda without a GPU is an error).")
    String device;

    @Option(names = "--json", description = "Print the summary and every failure's reason as one JSON object (the kit's table goes to stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TorchThreads.oneUnlessChosen();
        DeviceChoice dev = OptionValue.parse(spec, "--device", device, DeviceChoice::parse);
        requireDevice(dev);
        if (checkpoint != null) {
            requireRelease(checkpoint);
        }
        for (Path g : golden) {
            if (!Files.exists(g)) {
                throw new IllegalArgumentException("--golden " + g + ": not found");
            }
        }
        Path work = Files.createTempDirectory("gpt2-verify-goldens-");
        try {
            List<Path> files = golden;
            List<GoldenSelection.LeftOut> leftOut = List.of();
            if (model != null) {
                if (!Files.exists(model)) {
                    throw new IllegalArgumentException("--model " + model + ": not found");
                }
                try (ProgressBarListener progress = new ProgressBarListener(System.err)) {
                    model = new ModelResolver(ModelResolver.cacheRoot(cacheDir, System.getenv(),
                            Path.of(System.getProperty("user.home"))), progress).resolve(model);
                }
                Hparams shape = ModelShape.read(model, "--model");
                GoldenSelection selection = golden.isEmpty() ? GoldenSelection.packaged(shape, work) : GoldenSelection.ofFiles(golden, shape);
                files = selection.kept();
                leftOut = selection.leftOut();
                PrintStream notes = json ? System.err : System.out;
                for (GoldenSelection.LeftOut l : leftOut) {
                    notes.println("verify: left out " + l.golden() + ": " + l.reason() + "; the model is " + ModelShape.describe(shape));
                }
                if (files.isEmpty()) {
                    throw new IllegalArgumentException("no golden file was recorded for the shape of --model " + model + " ("
                            + ModelShape.describe(shape) + "); nothing to verify");
                }
            }
            if (!Verbosity.quiet()) {
                System.err.println("gpt2 verify: " + EngineReport.runsOn(dev));
                if (model == null && !net.gpt2j.cli.port.RuntimePortProvider.TENSORFLOW_PRESENT) {
                    System.err.println("gpt2 verify: TensorFlow is not on the classpath: the fixtures' models are written"
                            + " as hub folders directly, so the converter is not exercised");
                }
            }
            KitResult result = run(files, model, checkpoint, reportDir, dev, json ? System.err : System.out);
            if (json) {
                System.out.println(toJson(result, leftOut));
            } else {
                printReasons(result, System.out);
            }
            return result.success() ? 0 : 1;
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    static KitResult run(List<Path> golden, Path model, Path checkpoint, Path reportDir, DeviceChoice device) throws Exception {
        return run(golden, model, checkpoint, reportDir, device, System.out);
    }

    static KitResult run(List<Path> golden, Path model, Path checkpoint, Path reportDir, DeviceChoice device, PrintStream out)
            throws Exception {
        NativeLogs.quietTensorFlowStart();
        Path work = Files.createTempDirectory("gpt2-verify-");
        try (RuntimePortProvider provider = new RuntimePortProvider(work, model, device)) {
            KitRunner runner = KitRunner.forProvider(provider).goldenFiles(golden).reportDir(reportDir).out(out);
            if (checkpoint != null) {
                runner.checkpoint(checkpoint);
            }
            KitResult result = runner.run();
            // the plain closing line CI tools read: "N passed, N failed, N skipped"
            out.println("verify: " + result.passed() + " passed, " + result.failed() + " failed, "
                    + result.skipped() + " skipped");
            return result;
        }
    }

    /** Each failure's one-line reason (capped) and each skip reason with its count. */
    static void printReasons(KitResult result, PrintStream out) {
        List<KitResult.Failure> failures = result.failures();
        for (int i = 0; i < Math.min(SHOWN_FAILURES, failures.size()); i++) {
            out.println("  FAILED " + failures.get(i).test() + ": " + firstLine(failures.get(i).message()));
        }
        if (failures.size() > SHOWN_FAILURES) {
            out.println("  ... and " + (failures.size() - SHOWN_FAILURES) + " more failures in "
                    + result.reportDir().resolve("kit-report.md"));
        }
        // the kit speaks to any port's build (-Dgpt2.checkpoint=DIR); this command's way is its option
        result.skipReasons().forEach((reason, n) -> out.println("  skipped " + n + ": "
                + firstLine(reason).replace("run with -D" + GoldenTests.CHECKPOINT_PROPERTY + "=DIR", "run with --checkpoint DIR")));
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** cuda without a GPU fails every case with the same message: say it once, before anything runs. */
    private static void requireDevice(DeviceChoice dev) {
        if (dev == DeviceChoice.CUDA && Engine.getInstance().getGpuCount() == 0) {
            throw new IllegalArgumentException("--device cuda: the " + Engine.getInstance().getEngineName()
                    + " engine finds no CUDA GPU on this machine (use --device cpu or auto)");
        }
    }

    /** An OpenAI release folder, or an error naming what is missing (otherwise every real-weight case just skips). */
    static void requireRelease(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--checkpoint " + dir + ": " + (Files.exists(dir) ? "not a folder" : "not found"));
        }
        if (ModelSpec.isHubFolderOfRelease(dir)) {
            return; // a hub folder of the real weights: loading it checks the rest
        }
        List<String> missing = new ArrayList<>();
        for (String f : new String[] {"hparams.json", "model.ckpt.index", "encoder.json", "vocab.bpe"}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, "model.ckpt.data-*")) {
            if (!shards.iterator().hasNext()) {
                missing.add("model.ckpt.data-00000-of-00001");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--checkpoint " + dir + " is not an OpenAI GPT-2 release folder: it has no "
                    + String.join(", ", missing) + " (get one with: gpt2 download 124M --dir models), nor a hub folder of one"
                    + " (no " + HubConfig.FILE + ")");
        }
    }

    private static String toJson(KitResult r, List<GoldenSelection.LeftOut> leftOut) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("success", r.success());
        root.put("passed", r.passed());
        root.put("failed", r.failed());
        root.put("skipped", r.skipped());
        ObjectNode kinds = root.putObject("by_kind");
        r.byKind().forEach((k, c) -> kinds.putObject(k).put("cases", c.cases()).put("passed", c.passed())
                .put("failed", c.failed()).put("skipped", c.skipped()));
        ArrayNode failures = root.putArray("failures");
        r.failures().forEach(f -> failures.addObject().put("test", f.test()).put("reason", firstLine(f.message()))
                .put("report", f.message()));
        ObjectNode skips = root.putObject("skip_reasons");
        r.skipReasons().forEach(skips::put);
        ArrayNode left = root.putArray("left_out");
        leftOut.forEach(l -> left.addObject().put("golden", l.golden()).put("reason", l.reason()));
        root.put("report_dir", r.reportDir().toString());
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
