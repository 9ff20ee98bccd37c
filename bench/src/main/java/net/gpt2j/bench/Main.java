package net.gpt2j.bench;

import java.util.Arrays;

/**
 * {@code bench/run NAME [args]}: the project's benchmarks. Each prints min / median / max over
 * several runs and, beside it, the limit measured in the same run (see the README's "Benchmarks").
 * {@code bench/run all} runs each in its own JVM.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: bench/run NAME [args]",
            "  convert [--size 124M|1558M] [--runs N] [--work DIR] [--xmx SIZE] [--cold]   conversion vs cp of the shard, peak RSS",
            "  decode [runs] [--hf-python PATH]   124M-shape generation vs the engine's GEMV limit, memory bandwidth and (given PATH) HF in the same run",
            "  gpu [runs] [--hf-python PATH] [--shapes 124M,1558M] [--cpu-dry-run]   issue 13's GPU targets beside HF eager and compiled, same device",
            "  cli [runs] [--work DIR] [--hf-python PATH]   batch-1 greedy through the gpt2 CLI (fresh JVM per run) beside the same"
                    + " generation in-process and (given PATH) HF in a fresh Python process",
            "  tokenizer [megabytes] [runs]       gpt2j vs JTokkit r50k_base, warm and cold cache",
            "  soak [--tiny] [--steps N]          10,000 decode steps: RSS and live arrays must stay flat",
            "  all                                convert (124M), decode, tokenizer, soak, each in its own JVM (bench/run only)");

    private Main() {}

    private static int dispatch(String name, String[] rest) throws Exception {
        int code;
        switch (name) {
            case "convert" -> code = ConvertBench.run(rest);
            case "decode" -> code = DecodeBench.run(rest);
            case "gpu" -> code = GpuBench.run(rest);
            case "cli" -> code = CliBench.run(rest);
            case "tokenizer" -> code = TokenizerBench.run(rest);
            case "soak" -> code = SoakBench.run(rest);
            case "help", "-h", "--help" -> {
                System.out.println(USAGE);
                code = 0;
            }
            default -> {
                System.err.println("unknown benchmark " + name + "\n" + USAGE);
                code = 2;
            }
        }
        return code;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int code;
        try {
            code = dispatch(args[0], rest);
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("bench " + args[0] + ": " + e.getMessage()); // one line, as every failure of the project's tools
            code = 2;
        } catch (Exception | Error e) { // what no benchmark expected: still one line, with what it was
            System.err.println("bench " + args[0] + ": " + e);
            code = 1;
        }
        System.exit(code);
    }
}
