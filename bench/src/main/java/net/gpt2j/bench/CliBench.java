package net.gpt2j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.converter.Converter;
import net.gpt2j.format.Hparams;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.model.DeviceChoice;

/**
 * {@code bench/run cli [runs] [--work DIR] [--hf-python PATH]}: batch-1 greedy through the CLI as a user runs it, beside
 * the same generation in-process, in one run (issue 13: "through the CLI within 5% of the benchmark").
 *
 * <p>Writes a 124M-shaped hub folder once (the seed-1 fixture, converted) under the work folder, then
 * alternates: (a) a fresh {@code java} process running the CLI's main class with the launcher's JVM
 * options ({@link CliLaunch}): {@code gpt2 -v generate --model HUB --prompt TEXT (16 tokens)
 * --max-new-tokens 64 --eos-token-id -1 --ids}, greedy, its text streamed as a user sees it; its rate
 * is read from its summary and {@code -v} timings lines ({@link CliOutput}); (b) the same generation
 * through {@link Gpt2Runtime#greedy} on the same folder, loaded once in this JVM: a fresh decoder and KV
 * cache each time, as DecodeBench times it; (c) between the two, the same generation through the API
 * in a fresh JVM with the CLI's options ({@link GenerateOnce}): CLI / (c) is the cost of the CLI's own
 * code, (c) / (b) that of a process's first generation. All must produce the same ids. The order of
 * the three rotates from run to run; ratios are taken run by run. The CLI's wall time per process is broken
 * down: JVM start to main, main to command, command to load, load, prefill, decode, and the rest
 * (spawn, printing, closing, exit).
 *
 * <p>With {@code --hf-python PATH} (a Python with torch and transformers) a fourth side joins the
 * rotation: the same generation as a user would run it with HuggingFace, a fresh Python process per run
 * on the same hub folder ({@link HfCliSide}), timed the same way (prefill to the first decided
 * token, then the decode) and as a whole process; the ratios to it are taken run by run. Without it no
 * HF figure is printed.
 */
final class CliBench {

    static final Hparams SHAPE = Shapes.GPT2_124M;
    static final int NEW_TOKENS = 64;
    /** 16 tokens in GPT-2's vocabulary (checked at start). */
    static final String PROMPT = "Every effort moves you closer to the place where the river meets the old stone bridge";
    static final int PROMPT_TOKENS = 16;

    /** {@code [runs] [--work DIR] [--hf-python PATH]}; {@code hfPython} null without it. */
    record Options(int runs, Path work, String hfPython) {

        static Options parse(String[] args) {
            int runs = 5;
            Path work = Path.of("bench-work");
            String hfPython = null;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--work")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("cli: --work needs a folder");
                    }
                    work = Path.of(args[++i]);
                } else if (args[i].equals("--hf-python")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("cli: --hf-python needs a Python with torch and transformers");
                    }
                    hfPython = args[++i];
                } else if (args[i].matches("\\d+")) {
                    runs = Integer.parseInt(args[i]);
                } else {
                    throw new IllegalArgumentException("cli takes [runs] [--work DIR] [--hf-python PATH], got '" + args[i] + "'");
                }
            }
            if (runs < 1) {
                throw new IllegalArgumentException("cli: runs must be >= 1, got " + runs);
            }
            return new Options(runs, work, hfPython);
        }
    }

    private CliBench() {}

    static int run(String[] args) throws Exception {
        Options options = Options.parse(args);
        int runs = options.runs();
        Path hub = ensureHubFolder(options.work());
        System.out.println("cli: " + EngineThreads.describe() + "; load average before: " + loadAverage());
        List<String> cliArgs = List.of("-v", "generate", "--model", hub.toString(), "--prompt", PROMPT,
                "--max-new-tokens", String.valueOf(NEW_TOKENS), "--eos-token-id", "-1", "--ids");
        List<String> command = CliLaunch.command(Path.of(System.getProperty("java.home")),
                System.getProperty("java.class.path"), childEnvironment(), ChildProcess.extraJvmOptions(), cliArgs);
        System.out.println("CLI child: " + String.join(" ", quoted(command)) + "  (env " + CliLaunch.environment(System.getenv()) + ")");
        List<String> apiCommand = CliLaunch.command(Path.of(System.getProperty("java.home")),
                System.getProperty("java.class.path"), childEnvironment(), ChildProcess.extraJvmOptions(),
                GenerateOnce.class.getName(), List.of(hub.toString(), PROMPT, String.valueOf(NEW_TOKENS)));

        double[] cliWall = new double[runs];
        CliOutput[] cli = new CliOutput[runs];
        double[] inSeconds = new double[runs];
        double[] inPrefill = new double[runs];
        double[] freshMemory = new double[runs];
        GenerateOnce.Result[] api = new GenerateOnce.Result[runs];
        HfCliSide.Result[] hf = new HfCliSide.Result[runs];
        double[] hfWall = new double[runs];
        InProcessRun first;
        try (Gpt2Runtime runtime = Gpt2Runtime.load(hub, DeviceChoice.CPU);
                HfCliSide hfSide = options.hfPython() == null ? null
                        : new HfCliSide(options.hfPython(), hub, PROMPT, NEW_TOKENS, ai.djl.pytorch.jni.JniUtils.getNumThreads())) {
            int[] prompt = runtime.tokenizer().encode(PROMPT);
            if (prompt.length != PROMPT_TOKENS) {
                throw new IllegalStateException("the prompt encodes to " + prompt.length + " tokens, not " + PROMPT_TOKENS);
            }
            PromptBatch one = PromptBatch.single(prompt);
            // this JVM's first generation is as cold as the CLI's: JIT, torch's thread pool, the first forward
            first = InProcessRun.of(runtime, one);
            System.out.printf(Locale.ROOT, "in-process first generation (cold, untimed as a run): %.1f tok/s, prefill %.0f ms%n",
                    NEW_TOKENS / first.seconds(), first.prefillSeconds() * 1e3);
            CliOutput warmCli = runCli(command).output(); // the folder's pages into the page cache for every timed run
            if (!Arrays.equals(warmCli.ids(), first.ids())) {
                throw new IllegalStateException("the CLI and the runtime generated different ids:\n  cli " + Arrays.toString(warmCli.ids())
                        + "\n  in-process " + Arrays.toString(first.ids()));
            }
            if (hfSide != null) {
                System.out.println("HF child: " + String.join(" ", quoted(hfSide.command())) + " (the CLI child's environment)");
                HfCliSide.Run warmHf = hfSide.run(); // its imports into the page cache, as the CLI's warm-up
                System.out.println("HF side: " + warmHf.result().versions() + "; its new ids "
                        + (Arrays.equals(warmHf.result().ids(), first.ids()) ? "equal" : "differ from") + " the CLI's");
            }
            int sides = hfSide == null ? 3 : 4;
            for (int r = 0; r < runs; r++) {
                freshMemory[r] = FreshMemory.megabytesPerSecond();
                // the order of the sides rotates, so none always follows another's exit or idle time
                CliRun c = null;
                InProcessRun in = null;
                for (int k = 0; k < sides; k++) {
                    switch ((k + r) % sides) {
                        case 0 -> c = runCli(command);
                        case 1 -> api[r] = runApi(apiCommand, first.ids());
                        case 2 -> in = InProcessRun.of(runtime, one);
                        default -> {
                            HfCliSide.Run h = hfSide.run();
                            hf[r] = h.result();
                            hfWall[r] = h.wallSeconds();
                        }
                    }
                }
                cliWall[r] = c.wallSeconds();
                cli[r] = c.output();
                inSeconds[r] = in.seconds();
                inPrefill[r] = in.prefillSeconds();
                System.out.printf(Locale.ROOT, "run %d: CLI %.1f tok/s (process %.2f s), API in a fresh JVM %.1f tok/s, "
                        + "in-process %.1f tok/s; ratio CLI / in-process %.3f%n", r + 1, cli[r].tokensPerSecond(), cliWall[r],
                        NEW_TOKENS / (api[r].prefillSeconds() + api[r].decodeSeconds()), NEW_TOKENS / inSeconds[r],
                        cli[r].tokensPerSecond() / (NEW_TOKENS / inSeconds[r]));
            }
        }
        report(runs, cliWall, cli, inSeconds, inPrefill, api, first, freshMemory);
        if (options.hfPython() != null) {
            HfCliSide.report(runs, cliWall, cli, hf, hfWall, first.ids());
        } else {
            System.out.println("   no HF figure without --hf-python PATH: HF is compared only when it runs in the same run");
        }
        return 0;
    }

    private static void report(int runs, double[] wall, CliOutput[] cli, double[] inSeconds, double[] inPrefill,
            GenerateOnce.Result[] api, InProcessRun cold, double[] freshMemory) {
        double[] apiRate = new double[runs];
        double[] apiDecode = new double[runs];
        double[] apiPrefillMs = new double[runs];
        for (int r = 0; r < runs; r++) {
            apiRate[r] = NEW_TOKENS / (api[r].prefillSeconds() + api[r].decodeSeconds());
            apiDecode[r] = (NEW_TOKENS - 1) / api[r].decodeSeconds();
            apiPrefillMs[r] = api[r].prefillSeconds() * 1e3;
        }
        double[] cliRate = new double[runs];
        double[] cliDecode = new double[runs];
        double[] cliPrefillMs = new double[runs];
        double[] inRate = new double[runs];
        double[] inDecode = new double[runs];
        double[] inPrefillMs = new double[runs];
        double[] jvm = new double[runs];
        double[] toCommand = new double[runs];
        double[] toLoad = new double[runs];
        double[] load = new double[runs];
        double[] generate = new double[runs];
        double[] rest = new double[runs];
        for (int r = 0; r < runs; r++) {
            CliOutput c = cli[r];
            cliRate[r] = c.tokensPerSecond();
            cliDecode[r] = c.decodeStepsPerSecond();
            cliPrefillMs[r] = c.prefillSeconds() * 1e3;
            inRate[r] = NEW_TOKENS / inSeconds[r];
            inDecode[r] = (NEW_TOKENS - 1) / (inSeconds[r] - inPrefill[r]);
            inPrefillMs[r] = inPrefill[r] * 1e3;
            jvm[r] = c.jvmStartToMainSeconds();
            toCommand[r] = c.mainToCommandSeconds();
            toLoad[r] = c.commandToLoadSeconds();
            load[r] = c.loadSeconds();
            generate[r] = c.prefillSeconds() + c.decodeSeconds();
            rest[r] = wall[r] - jvm[r] - toCommand[r] - toLoad[r] - load[r] - generate[r];
        }
        Table t = new Table(System.out, "batch-1 greedy, 124M shape, 16-token prompt + " + NEW_TOKENS + " new: CLI, API in a fresh JVM, in-process; "
                + runs + " runs alternating (" + EngineThreads.describe() + "; load average after: " + loadAverage() + ")");
        t.row("CLI: gpt2 generate, fresh JVM per run (its -v prefill + decode)", Spread.of(cliRate), "tok/s");
        t.row("in-process: Gpt2Runtime.greedy, fresh decoder, warm JVM", Spread.of(inRate), "tok/s");
        t.row("API in a fresh JVM: Gpt2Runtime.greedy, the CLI's JVM options", Spread.of(apiRate), "tok/s");
        t.row("ratio CLI / in-process, whole generation (per run)", Spread.pairedRatios(cliRate, inRate), "");
        t.row("  ratio CLI / API in a fresh JVM: the CLI's own code (per run)", Spread.pairedRatios(cliRate, apiRate), "");
        t.row("  ratio API in a fresh JVM / in-process: a process's first (per run)", Spread.pairedRatios(apiRate, inRate), "");
        t.row("CLI prefill, until the first token is decided", Spread.of(cliPrefillMs), "ms");
        t.row("in-process prefill, until the first token is decided", Spread.of(inPrefillMs), "ms");
        t.row("API in a fresh JVM prefill, until the first token is decided", Spread.of(apiPrefillMs), "ms");
        t.single("  in-process prefill of this JVM's first generation (cold, as the CLI's)", cold.prefillSeconds() * 1e3, "ms");
        t.row("CLI decode, the 63 steps after the first token", Spread.of(cliDecode), "steps/s");
        t.row("in-process decode, the 63 steps after the first token", Spread.of(inDecode), "steps/s");
        t.row("API in a fresh JVM decode, the 63 steps after the first token", Spread.of(apiDecode), "steps/s");
        t.row("ratio CLI / in-process, decode steps (per run)", Spread.pairedRatios(cliDecode, inDecode), "");
        t.row("ratio CLI / API in a fresh JVM, decode steps (per run)", Spread.pairedRatios(cliDecode, apiDecode), "");
        t.row("CLI process wall time, spawn to exit", Spread.of(wall), "s");
        t.row("  JVM start to main", Spread.of(jvm), "s");
        t.row("  main to command (picocli, the classes it loads)", Spread.of(toCommand), "s");
        t.row("  command to load (arguments, model folder resolved)", Spread.of(toLoad), "s");
        t.row("  model load (safetensors, CRC-32C, engine copy, tokenizer)", Spread.of(load), "s");
        t.row("  generate (prefill + decode, text streamed)", Spread.of(generate), "s");
        t.row("  the rest: spawn, JVM init before its clock, printing, close, exit", Spread.of(rest), "s");
        t.row("fresh memory: 256 MB new to this JVM, written once (torch ones; a gauge of the machine)", Spread.of(freshMemory), "MB/s");
        t.note("CLI tok/s in order: " + Table.runs(Spread.of(cliRate)) + "; in-process: " + Table.runs(Spread.of(inRate)));
        t.note(String.format(Locale.ROOT, "fresh memory at its median: %.1f us per 4 KB page first written; a load copies"
                + " its weights into new memory, so the load and a process's first steps pay it and a warm process does not",
                FreshMemory.microsecondsPerPage(Spread.of(freshMemory).median())));
    }

    /** What the child sees: the launcher's variables, this JVM's torch thread choice passed on as the launcher would. */
    private static java.util.Map<String, String> childEnvironment() {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        String threads = System.getProperty(EngineThreads.PROPERTY);
        if (threads != null) { // BENCH_TORCH_THREADS: both sides run the same thread count
            env.put("GPT2_TORCH_THREADS", threads);
        }
        return env;
    }

    private record CliRun(double wallSeconds, CliOutput output) {}

    private static GenerateOnce.Result runApi(List<String> command, int[] expectedIds) throws IOException, InterruptedException {
        GenerateOnce.Result r = GenerateOnce.Result.parse(ChildProcess.run(command, false, CliLaunch.environment(System.getenv()),
                true).stdout());
        if (!Arrays.equals(r.ids(), expectedIds)) {
            throw new IllegalStateException("the API child generated other ids than this JVM: " + Arrays.toString(r.ids()));
        }
        return r;
    }

    private static CliRun runCli(List<String> command) throws IOException, InterruptedException {
        ChildProcess.Result r = ChildProcess.run(command, false, CliLaunch.environment(System.getenv()), true);
        CliOutput out = CliOutput.parse(r.stdout(), r.stderr());
        if (out.newTokens() != NEW_TOKENS || out.promptTokens() != PROMPT_TOKENS) {
            throw new IllegalStateException("the CLI generated " + out.newTokens() + " tokens after " + out.promptTokens()
                    + ", expected " + NEW_TOKENS + " after " + PROMPT_TOKENS);
        }
        return new CliRun(r.seconds(), out);
    }

    /** One in-process greedy generation, timed as the CLI times its own: prefill until the first token, then the rest. */
    private record InProcessRun(double seconds, double prefillSeconds, int[] ids) {

        static InProcessRun of(Gpt2Runtime runtime, PromptBatch prompt) {
            long[] first = {0};
            GenerationConfig config = GenerationConfig.builder().maxNewTokens(NEW_TOKENS).noEosToken()
                    .tokenListener((row, step, token) -> {
                        if (first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                    }).build();
            long start = System.nanoTime();
            int[][] rows = runtime.greedy(prompt, config);
            long end = System.nanoTime();
            return new InProcessRun((end - start) / 1e9, (first[0] - start) / 1e9, rows[0]);
        }
    }

    /** The seed-1 fixture of the 124M shape (shared with {@code bench/run convert}), converted once into a hub folder. */
    static Path ensureHubFolder(Path work) throws IOException {
        Path hub = work.resolve("hub-124M");
        if (Files.isRegularFile(hub.resolve(Converter.MANIFEST))) { // the converter renames a complete folder into place
            System.out.println("hub folder " + hub + " exists: reused");
            return hub;
        }
        Path fixture = ConvertBench.ensureFixture(work.resolve("fixture-124M"), SHAPE);
        long start = System.nanoTime();
        new Converter(ConversionListener.SILENT).convert(fixture, hub, false);
        System.out.printf(Locale.ROOT, "converted %s into %s in %.1f s%n", fixture, hub, (System.nanoTime() - start) / 1e9);
        return hub;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static List<String> quoted(List<String> command) {
        List<String> out = new ArrayList<>();
        for (String arg : command) {
            out.add(arg.contains(" ") ? "'" + arg + "'" : arg.length() > 200 ? arg.substring(0, 60) + "...(class path)" : arg);
        }
        return out;
    }
}
