package net.gpt2j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import net.gpt2j.format.Hparams;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.BeamSearch;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.GreedySearch;
import net.gpt2j.runtime.generate.NextTokenLogits;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.generate.Sampler;
import net.gpt2j.runtime.model.Gpt2Model;
import net.gpt2j.runtime.model.KvCacheDecoder;

/**
 * {@code bench/run decode [runs]}: generation speed of the 124M shape on the CPU, beside the limits
 * measured in the same run (PERFORMANCE.md). Each run measures everything once, in turn, so a
 * neighbour's burst hits a run's measurement and its limit alike; ratios are taken run by run.
 *
 * <p>Measured, through the runtime's public API: batch-1 greedy (16-token prompt, 64 new tokens,
 * a fresh decoder each time as {@code Gpt2Runtime.greedy} makes), the 63 KV-cached steps of it
 * alone, batch-1 sampling (top-k 50, top-p 0.9, temperature 0.8: its warpers run on the host), a 5-prompt greedy batch and a 5-beam search (64 new tokens each), one 128-token forward.
 * Limits: the step's matrix products alone, on the model's own weight arrays, on the runtime's kernel
 * for 1 and 5 rows, and for 1 row on the other kernel ({@link EngineLimit}: oneDNN or BLAS, as {@code Gpt2Model.oneDnnProducts} says), and
 * a plain read of 500 MB ({@link MemoryReadLimit}). Also the engine calls one decode step issues.
 *
 * <p>Then batch-1 greedy and its cached steps against the engine limit again, in {@code --pairs N}
 * (default 8) short pairs that alternate their order ({@link AlternatingPairs}): the ratio the
 * issue's target is about, with the drift of a shared machine falling on both sides alike; and
 * sampling against greedy the same way (what the host-side warpers cost).
 *
 * <p>With {@code --hf-python PATH} (a Python with torch and transformers) HuggingFace runs the same
 * tasks in the same run, a round after each Java round ({@link HfSideBySide}), and the ratios are
 * taken run by run; without it no HF figure is printed: a ratio to a number recorded on another
 * day divides by that day's neighbours.
 */
final class DecodeBench {

    private static final Hparams SHAPE = Shapes.GPT2_124M;
    static final int PROMPT = 16;
    static final int NEW_TOKENS = 64;
    private static final int ROWS = 5;

    private DecodeBench() {}

    static int run(String[] args) {
        int runs = 5;
        int pairs = 8;
        String hfPython = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--hf-python") && i + 1 < args.length) {
                hfPython = args[++i];
            } else if (args[i].equals("--pairs") && i + 1 < args.length && args[i + 1].matches("\\d+")) {
                pairs = Integer.parseInt(args[++i]);
            } else if (args[i].matches("\\d+")) {
                runs = Integer.parseInt(args[i]);
            } else {
                throw new IllegalArgumentException("decode takes [runs] [--pairs N] [--hf-python PATH], got '" + args[i] + "'");
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        System.out.println("decode: " + EngineThreads.describe());
        long t0 = System.nanoTime();
        try (Gpt2Model model = SyntheticModel.load(Shapes.SEED, SHAPE);
                EngineLimit limit = new EngineLimit(model);
                MemoryReadLimit read = new MemoryReadLimit();
                HfSideBySide hf = hfPython == null ? null
                        : new HfSideBySide(hfPython, ai.djl.pytorch.jni.JniUtils.getNumThreads(), PROMPT, NEW_TOKENS, ROWS)) {
            if (hf != null) {
                System.out.println("HF side by side: " + hf.description());
            }
            System.out.printf("124M-shaped synthetic model (seed %d) and its engine limit ready in %.1f s%n",
                    Shapes.SEED, (System.nanoTime() - t0) / 1e9);
            GenerationConfig greedyConfig = GenerationConfig.builder().maxNewTokens(NEW_TOKENS).noEosToken().build();
            GenerationConfig beamConfig = GenerationConfig.builder().maxNewTokens(NEW_TOKENS).noEosToken()
                    .numBeams(ROWS).build();
            // HF's sampling defaults (top_k 50) with the usual top_p and temperature: the warpers run on the host
            GenerationConfig sampleConfig = GenerationConfig.builder().maxNewTokens(NEW_TOKENS).noEosToken()
                    .doSample(true).topP(0.9).temperature(0.8).seed(Shapes.SEED).build();
            PromptBatch one = PromptBatch.single(prompt(0));
            PromptBatch five = batch(ROWS);
            List<Long> forwardFaults = new ArrayList<>();
            int[] ids128 = new int[128];
            Arrays.fill(ids128, 464);

            // the limit runs on the runtime's kernel; the other kernel's limit is shown beside it
            EngineLimit.Kernel kernel = model.oneDnnProducts() ? EngineLimit.Kernel.ONEDNN : EngineLimit.Kernel.BLAS;
            EngineLimit.Kernel other = kernel == EngineLimit.Kernel.ONEDNN ? EngineLimit.Kernel.BLAS : EngineLimit.Kernel.ONEDNN;
            DoubleSupplier[] bodies = {
                () -> time(() -> greedy(model, greedyConfig, one)),
                () -> stepsOnly(model),
                () -> limit.seconds(1, NEW_TOKENS, kernel),
                read::seconds,
                () -> forward(model, ids128, forwardFaults),
                () -> time(() -> greedy(model, greedyConfig, five)),
                () -> time(() -> beam(model, beamConfig, one)),
                () -> limit.seconds(ROWS, NEW_TOKENS, kernel),
                () -> limit.seconds(1, NEW_TOKENS, other),
                () -> time(() -> sample(model, sampleConfig, one)),
            };
            for (DoubleSupplier body : bodies) { // warm-up: JIT, torch's thread pool, first-touch of buffers
                body.getAsDouble();
            }
            double[][] seconds = new double[bodies.length][runs];
            HfSideBySide.Round[] hfRounds = new HfSideBySide.Round[runs];
            for (int r = 0; r < runs; r++) {
                for (int b = 0; b < bodies.length; b++) {
                    seconds[b][r] = bodies[b].getAsDouble();
                }
                if (hf != null) {
                    hfRounds[r] = hf.round();
                }
            }
            report(seconds, runs, stepCalls(model), hf != null,
                    forwardFaults.subList(forwardFaults.size() - runs, forwardFaults.size()), kernel, other);
            System.out.println("   " + model.decodeThreads() + "; the engine limit runs on all threads");
            System.out.println("   " + model.matrixProducts());
            if (pairs > 0) {
                AlternatingPairs.Side limitSide = new AlternatingPairs.Side(() -> limit.seconds(1, NEW_TOKENS, kernel), NEW_TOKENS);
                Spread greedyPairs = AlternatingPairs.ratios(new AlternatingPairs.Side(bodies[0], NEW_TOKENS), limitSide, pairs);
                Spread stepPairs = AlternatingPairs.ratios(new AlternatingPairs.Side(bodies[1], NEW_TOKENS - 1), limitSide, pairs);
                Spread samplePairs = AlternatingPairs.ratios(new AlternatingPairs.Side(bodies[9], NEW_TOKENS),
                        new AlternatingPairs.Side(bodies[0], NEW_TOKENS), pairs);
                Table p = new Table(System.out, "batch 1 in " + pairs
                        + " alternating pairs (A B, B A, ...; --pairs N), one ratio per pair");
                p.row("ratio batch-1 greedy / engine limit, per pair", greedyPairs, "");
                p.row("ratio batch-1 cached steps / engine limit, per pair", stepPairs, "");
                p.row("ratio batch-1 sampling / batch-1 greedy, per pair", samplePairs, "");
                p.note("the runs above time each thing once per run in a fixed order; these pairs alternate, so the"
                        + " machine's drift falls on both sides alike (AlternatingPairs)");
            }
            if (hf != null) {
                reportHf(seconds, hfRounds, hf.description());
            }
        }
        return 0;
    }

    private static void reportHf(double[][] s, HfSideBySide.Round[] hf, String description) {
        int runs = hf.length;
        double[] g1 = new double[runs];
        double[] g5 = new double[runs];
        double[] b5 = new double[runs];
        double[] f = new double[runs];
        for (int r = 0; r < runs; r++) {
            g1[r] = hf[r].greedy1();
            g5[r] = hf[r].greedy5();
            b5[r] = hf[r].beam5();
            f[r] = hf[r].forward128();
        }
        Spread hfGreedy1 = Spread.ratesOf(g1, NEW_TOKENS);
        Spread hfBatch5 = Spread.ratesOf(g5, NEW_TOKENS);
        Spread hfBeam5 = Spread.ratesOf(b5, NEW_TOKENS);
        Spread hfForwardMs = Spread.of(Arrays.stream(f).map(x -> x * 1e3).toArray());
        Table t = new Table(System.out, "HF beside it, same tasks, a round after each gpt2j round (" + description + ")");
        t.row("HF batch 1 greedy, 16-token prompt + 64 new", hfGreedy1, "tok/s");
        t.row("HF " + ROWS + "-prompt greedy batch, 64 new", hfBatch5, "steps/s");
        t.row("HF " + ROWS + "-beam search, 64 new", hfBeam5, "steps/s");
        t.row("HF one 128-token forward, all logits to numpy", hfForwardMs, "ms");
        t.row("ratio gpt2j / HF, batch-1 greedy rate (per run; > 1: gpt2j faster)",
                Spread.pairedRatios(g1, s[0]), "");
        t.row("ratio gpt2j / HF, " + ROWS + "-row greedy rate (per run)", Spread.pairedRatios(g5, s[5]), "");
        t.row("ratio gpt2j / HF, " + ROWS + "-beam rate (per run)", Spread.pairedRatios(b5, s[6]), "");
        t.row("ratio gpt2j / HF, 128-token forward time (per run; < 1: gpt2j faster)",
                Spread.pairedRatios(s[4], f), "");
    }

    /** Engine calls of one batch-1 decode step of the 124M shape, as greedy runs it. */
    static long stepCalls(Gpt2Model model) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefillLogits(new int[][] {prompt(0)}, null);
            long before = model.engineCalls();
            decoder.stepLogits(new int[] {464});
            return model.engineCalls() - before;
        }
    }

    private static void report(double[][] s, int runs, long stepCalls, boolean hfBeside, List<Long> forwardFaults,
            EngineLimit.Kernel kernel, EngineLimit.Kernel other) {
        double stepGb = Shapes.stepMatrixBytes(SHAPE) / 1e9;
        Spread greedy1 = Spread.ratesOf(s[0], NEW_TOKENS);
        Spread steps1 = Spread.ratesOf(s[1], NEW_TOKENS - 1);
        Spread limit1 = Spread.ratesOf(s[2], NEW_TOKENS);
        Spread readGbs = Spread.ratesOf(s[3], MemoryReadLimit.BYTES / 1e9);
        Spread readSteps = Spread.of(Arrays.stream(readGbs.inOrder()).map(g -> g / stepGb).toArray());
        Spread forwardMs = Spread.of(Arrays.stream(s[4]).map(x -> x * 1e3).toArray());
        Spread batch5 = Spread.ratesOf(s[5], NEW_TOKENS);
        Spread beam5 = Spread.ratesOf(s[6], NEW_TOKENS);
        Spread limit5 = Spread.ratesOf(s[7], NEW_TOKENS);
        Spread otherLimit1 = Spread.ratesOf(s[8], NEW_TOKENS);
        Spread sample1 = Spread.ratesOf(s[9], NEW_TOKENS);

        Table t = new Table(System.out, "decode, 124M shape, CPU, " + runs + " runs (" + EngineThreads.describe() + ")");
        t.row("batch 1 greedy, 16-token prompt + 64 new (fresh decoder)", greedy1, "tok/s");
        t.row("batch 1, the 63 KV-cached steps alone", steps1, "steps/s");
        t.row("  engine limit: the step's products alone, " + kernel.description + ", 1 row", limit1, "steps/s");
        t.row("  the same on the other kernel, " + other.description + ", 1 row", otherLimit1, "steps/s");
        t.row("  memory read: one torch sum of 500 MB (a gauge of the machine, not a bound)", readGbs, "GB/s");
        t.row(String.format("  that read as steps (%.0f MB read per step)", stepGb * 1e3), readSteps, "steps/s");
        t.row("batch 1 sampling, top-k 50, top-p 0.9, temperature 0.8, 64 new", sample1, "tok/s");
        t.row("one 128-token forward, all logits", forwardMs, "ms");
        if (forwardFaults.stream().allMatch(f -> f >= 0)) {
            t.row("  minor page faults during it (pages first touched)",
                    Spread.of(forwardFaults.stream().mapToDouble(Long::doubleValue).toArray()), "");
        }
        t.row(ROWS + "-prompt greedy batch, 64 new (prefill included)", batch5, "steps/s");
        t.row(ROWS + "-beam search, 64 new (prefill included)", beam5, "steps/s");
        t.row("  engine limit: the step's products alone, " + kernel.description + ", " + ROWS + " rows", limit5,
                "steps/s");
        t.row("ratio batch-1 greedy / engine limit (per run)", Spread.pairedRatios(greedy1.inOrder(), limit1.inOrder()), "");
        t.row("ratio batch-1 steps / engine limit (per run)", Spread.pairedRatios(steps1.inOrder(), limit1.inOrder()), "");
        t.row("ratio batch-1 sampling / batch-1 greedy (per run)", Spread.pairedRatios(sample1.inOrder(), greedy1.inOrder()), "");
        t.row("ratio engine limit / its limit on the other kernel (per run)",
                Spread.pairedRatios(limit1.inOrder(), otherLimit1.inOrder()), "");
        t.row("ratio engine limit / that read as steps (per run)", Spread.pairedRatios(limit1.inOrder(), readSteps.inOrder()), "");
        t.row("ratio " + ROWS + "-row greedy / " + ROWS + "-row limit (per run)",
                Spread.pairedRatios(batch5.inOrder(), limit5.inOrder()), "");
        t.row("ratio " + ROWS + "-beam / " + ROWS + "-row limit (per run)",
                Spread.pairedRatios(beam5.inOrder(), limit5.inOrder()), "");
        t.single("engine calls per batch-1 decode step (" + SHAPE.nLayer() + " blocks)", stepCalls, "");
        t.note("batch-1 greedy runs in order: " + Table.runs(greedy1) + " tok/s; engine limit: " + Table.runs(limit1));
        if (!hfBeside) {
            t.note("no HF figure without --hf-python PATH: HF is compared only when it runs in the same run");
        }
    }

    /** Seconds of one 128-token forward with every position's logits; its minor page faults go to {@code faults}. */
    private static double forward(Gpt2Model model, int[] ids, List<Long> faults) {
        long before = PageFaults.minor();
        double seconds = time(() -> model.logits(new int[][] {ids}, null));
        long after = PageFaults.minor();
        faults.add(before < 0 || after < 0 ? -1 : after - before);
        return seconds;
    }

    /** A caller's greedy generation: a fresh decoder (its KV cache allocated), prefill, 64 tokens. */
    static int greedy(Gpt2Model model, GenerationConfig config, PromptBatch prompts) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            return new GreedySearch(config).generate(decoder, prompts).sequences()[0].length;
        }
    }

    private static int sample(Gpt2Model model, GenerationConfig config, PromptBatch prompts) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            return new Sampler(config).generate(decoder, prompts).sequences()[0].length;
        }
    }

    private static int beam(Gpt2Model model, GenerationConfig config, PromptBatch prompts) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            return new BeamSearch(config, BeamLengthConvention.HF_4_57).generate(decoder, prompts).sequences()[0].length;
        }
    }

    /** Seconds of the 63 steps after a 16-token prefill (which is not timed), argmax on the device as greedy does. */
    private static double stepsOnly(Gpt2Model model) {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            NextTokenLogits logits = decoder.prefillLogits(new int[][] {prompt(0)}, null);
            long start = System.nanoTime();
            for (int s = 0; s < NEW_TOKENS - 1; s++) {
                logits = decoder.stepLogits(logits.top2().argmax());
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    static int[] prompt(int row) {
        int[] ids = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            ids[i] = 1000 + 37 * i + 101 * row;
        }
        return ids;
    }

    private static PromptBatch batch(int rows) {
        int[][] ids = new int[rows][];
        int[][] mask = new int[rows][PROMPT];
        for (int r = 0; r < rows; r++) {
            ids[r] = prompt(r);
            Arrays.fill(mask[r], 1);
        }
        return new PromptBatch(ids, mask);
    }

    static double time(Runnable body) {
        long start = System.nanoTime();
        body.run();
        return (System.nanoTime() - start) / 1e9;
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
