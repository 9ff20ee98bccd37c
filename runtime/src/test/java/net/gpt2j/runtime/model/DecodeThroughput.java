package net.gpt2j.runtime.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import net.gpt2j.converter.mapping.MappedTensor;
import net.gpt2j.golden.Hparams;

/**
 * Not a unit test: times GPT-2 124M-shaped decoding on synthetic weights beside the engine's own
 * limit, measured in the same run (see PERFORMANCE.md: ratios in one run, not absolute rates).
 *
 * <pre>
 * mvn -B -o -q -pl runtime test-compile
 * java -Xmx8g -Dai.djl.offline=true -cp runtime/target/classes:runtime/target/test-classes:$(cat cp.txt) \
 *     net.gpt2j.runtime.model.DecodeThroughput [runs]
 * </pre>
 *
 * Prints min / median / max over the runs of: a batch-1 generation (16-token prefill, then 64 greedy
 * steps), a 5-row step, one 128-token full forward, the step's matrix products alone through DJL
 * (the engine's limit, for 1 and 5 rows) and a plain read of every weight (the memory's limit).
 */
public final class DecodeThroughput {

    private static final Hparams GPT2_124M = new Hparams(50257, 1024, 768, 12, 12);
    private static final int PROMPT = 16;
    private static final int STEPS = 64;
    private static final int BEAMS = 5;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long t0 = System.nanoTime();
        List<MappedTensor> tensors = GoldenFixture.syntheticTensors(124, GPT2_124M);
        try (Gpt2Model model = Gpt2Model.load(WeightSource.of(tensors), GPT2_124M, ModelConfig.DEFAULT, DeviceChoice.CPU)) {
            tensors = null; // let the heap copy go
            System.out.printf("124M-shaped synthetic model loaded in %.1f s on %s; torch %s, intra-op threads %s%n",
                    (System.nanoTime() - t0) / 1e9, model.device(), Engine.getEngine("PyTorch").getVersion(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default (" + Runtime.getRuntime().availableProcessors() + " cpus)"));
            int[] prompt = new int[PROMPT];
            for (int i = 0; i < PROMPT; i++) {
                prompt[i] = 1000 + 37 * i;
            }
            try (KvCacheDecoder decoder = model.newDecoder()) {
                double[] generate = time(runs, () -> generate(decoder, prompt));
                report("batch 1: prefill 16 + 64 steps", generate, STEPS, "tok/s");
                double[] step = time(runs, () -> steps(decoder, prompt, 1));
                report("batch 1: decode steps only", step, STEPS, "steps/s");
                double[] beams = time(runs, () -> steps(decoder, prompt, BEAMS));
                report(BEAMS + " rows: decode steps only", beams, STEPS, "steps/s");
                double[] forward = time(runs, () -> {
                    int[] ids = new int[128];
                    Arrays.fill(ids, 464);
                    return model.logits(new int[][] {ids}, null)[0].length;
                });
                report("one 128-token forward, all logits", forward, 1, "forwards/s");
                double[] gemv = time(runs, () -> matrixProducts(model, 1));
                report("engine limit: the step's GEMVs alone, 1 row", gemv, STEPS, "steps/s");
                double[] gemm = time(runs, () -> matrixProducts(model, BEAMS));
                report("engine limit: the step's products alone, " + BEAMS + " rows", gemm, STEPS, "steps/s");
                double[] read = time(runs, () -> readAllWeights(model));
                report("memory limit: one read of every weight (torch sum)", read, STEPS, "reads/s");
                System.out.printf("ratio batch-1 step / engine GEMV limit (medians): %.2f; 5-row step / 5-row limit: %.2f%n",
                        median(gemv) / median(step), median(gemm) / median(beams));
            }
        }
    }

    /** Greedy generation as a caller would run it: prefill, then argmax and step. */
    private static int generate(KvCacheDecoder decoder, int[] prompt) {
        float[][] logits = decoder.prefill(new int[][] {prompt}, null);
        int token = 0;
        for (int s = 0; s < STEPS; s++) {
            token = argmax(logits[0]);
            logits = decoder.step(new int[] {token});
        }
        return token;
    }

    /** Times only the steps: the prefill happens before the clock (returned through {@link #time}'s hook). */
    private static int steps(KvCacheDecoder decoder, int[] prompt, int rows) {
        int[][] prompts = new int[rows][];
        Arrays.fill(prompts, prompt);
        decoder.prefill(prompts, null);
        STEP_CLOCK.set(System.nanoTime());
        int[] tokens = new int[rows];
        for (int s = 0; s < STEPS; s++) {
            for (int r = 0; r < rows; r++) {
                tokens[r] = 2000 + 13 * s + r;
            }
            decoder.step(tokens);
        }
        return tokens[0];
    }

    /** Per step: the fused QKV, attention out, MLP in and MLP out products of every block, then the LM head. */
    private static int matrixProducts(Gpt2Model model, int rows) {
        Gpt2Weights w = model.weights();
        int e = GPT2_124M.nEmbd();
        try (NDManager scratch = model.newScratchManager()) {
            NDArray x = scratch.randomUniform(-1, 1, new Shape(rows, e));
            NDArray x4 = scratch.randomUniform(-1, 1, new Shape(rows, 4 * e));
            STEP_CLOCK.set(System.nanoTime());
            for (int s = 0; s < STEPS; s++) {
                try (NDManager step = scratch.newSubManager()) {
                    NDArray in = x.duplicate();
                    NDArray in4 = x4.duplicate();
                    in.attach(step);
                    in4.attach(step);
                    for (Gpt2Weights.Block b : w.blocks) {
                        Linear.linear(in, b.qkvWeight(), b.qkvBias());
                        Linear.linear(in, b.attnProjWeight(), b.attnProjBias());
                        Linear.linear(in, b.fcWeight(), b.fcBias());
                        Linear.linear(in4, b.mlpProjWeight(), b.mlpProjBias());
                    }
                    Linear.linear(in, w.wte, null).singletonOrThrow().toFloatArray();
                }
            }
        }
        return rows;
    }

    private static int readAllWeights(Gpt2Model model) {
        Gpt2Weights w = model.weights();
        try (NDManager scratch = model.newScratchManager()) {
            STEP_CLOCK.set(System.nanoTime());
            for (int s = 0; s < STEPS; s++) {
                try (NDManager step = scratch.newSubManager()) {
                    float sum = sum(step, w.wte);
                    for (Gpt2Weights.Block b : w.blocks) {
                        sum += sum(step, b.qkvWeight()) + sum(step, b.attnProjWeight()) + sum(step, b.fcWeight())
                                + sum(step, b.mlpProjWeight());
                    }
                    if (Float.isNaN(sum)) {
                        throw new IllegalStateException("NaN weights");
                    }
                }
            }
        }
        return 0;
    }

    private static float sum(NDManager step, NDArray a) {
        NDArray s = a.sum();
        s.attach(step);
        return s.getFloat();
    }

    // ---- timing ----

    /** Where a measured body may restart the clock after its own set-up (a prefill, an allocation). */
    private static final ThreadLocal<Long> STEP_CLOCK = new ThreadLocal<>();

    /** Seconds per run of {@code body}, after one warm-up run. */
    private static double[] time(int runs, IntSupplier body) {
        body.getAsInt();
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            STEP_CLOCK.remove();
            long start = System.nanoTime();
            body.getAsInt();
            long end = System.nanoTime();
            Long restarted = STEP_CLOCK.get();
            seconds[r] = (end - (restarted != null ? restarted : start)) / 1e9;
        }
        return seconds;
    }

    private static void report(String what, double[] seconds, int units, String unit) {
        double[] rates = Arrays.stream(seconds).map(s -> units / s).sorted().toArray();
        System.out.printf("%-52s min %7.2f  median %7.2f  max %7.2f %s   (runs in order: %s)%n", what, rates[0],
                median(seconds, units), rates[rates.length - 1], unit, Arrays.toString(Arrays.stream(seconds)
                        .map(s -> Math.round(units / s * 100) / 100.0).toArray()));
    }

    private static double median(double[] seconds, int units) {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return units / sorted[sorted.length / 2];
    }

    private static double median(double[] seconds) {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    private DecodeThroughput() {}
}
