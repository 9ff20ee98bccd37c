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
            "  cli [runs] [--work DIR]            batch-1 greedy through the gpt2 CLI (fresh JVM per run) beside the same generation in-process",
            "  tokenizer [megabytes] [runs]       gpt2j vs JTokkit r50k_base, warm and cold cache",
            "  soak [--tiny] [--steps N]          10,000 decode steps: RSS and live arrays must stay flat",
            "  all                                convert (124M), decode, tokenizer, soak, each in its own JVM (bench/run only)");

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int code;
        switch (args[0]) {
            case "convert" -> code = ConvertBench.run(rest);
            case "decode" -> code = DecodeBench.run(rest);
            case "cli" -> code = CliBench.run(rest);
            case "tokenizer" -> code = TokenizerBench.run(rest);
            case "soak" -> code = SoakBench.run(rest);
            case "help", "-h", "--help" -> {
                System.out.println(USAGE);
                code = 0;
            }
            default -> {
                System.err.println("unknown benchmark " + args[0] + "\n" + USAGE);
                code = 2;
            }
        }
        System.exit(code);
    }
}
