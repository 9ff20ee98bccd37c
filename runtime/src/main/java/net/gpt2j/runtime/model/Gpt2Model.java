package net.gpt2j.runtime.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;

/**
 * GPT-2 on DJL's PyTorch engine, in float32: the weights on the device, and the forward pass, which
 * runs as one TorchScript call per forward ({@link ScriptedForward}, source in
 * {@code Gpt2Forward.py}): on a GPU a decode step costs about (engine calls x the cost of one call),
 * so the step is one call, not one per tensor operation. Every engine call the model issues goes
 * through {@link EngineOps} and is counted ({@link #engineCalls}).
 *
 * <p>Two ways in: {@link #logits} runs whole sequences and returns every position's logits (golden
 * checks, perplexity); {@link #newDecoder} returns a KV-cached {@code LogitsSource} for generation.
 * Each call does its work in a sub-manager closed at its end, so native memory stays flat; only the
 * weights (and a decoder's cache) outlive a call.
 */
public final class Gpt2Model implements AutoCloseable {

    private static final String ENGINE = "PyTorch";

    private final Hparams hparams;
    private final ModelConfig config;
    private final NDManager manager;
    private final EngineOps ops = new EngineOps();
    private final ScriptedForward forward;
    private final DecodeThreads decodeThreads;
    /** Holds the file mappings the weights may live in until the model is closed ({@link WeightMemory}). */
    private final WeightMemory weightMemory;

    private Gpt2Model(Hparams hparams, ModelConfig config, NDManager manager, Gpt2Weights weights,
            WeightMemory weightMemory, DecodeThreads decodeThreads, CpuProducts products) {
        this.hparams = hparams;
        this.config = config;
        this.manager = manager;
        this.weightMemory = weightMemory;
        this.forward = new ScriptedForward(manager, ops, hparams, config, weights, products);
        this.decodeThreads = decodeThreads.forProducts(forward.products().oneDnn());
    }

    /** Loads the weights onto the GPU when the engine finds one, else the CPU. */
    public static Gpt2Model load(WeightSource source, Hparams hparams, ModelConfig config) {
        return load(source, hparams, config, DeviceChoice.AUTO);
    }

    /**
     * Starts the engine (loads libtorch and its JNI) if it has not started: what {@link #load} does
     * first, for a loader that starts it on another thread while it reads the weights. Returns the
     * engine, or throws what DJL throws when it cannot start it.
     */
    public static Object startEngine() {
        return Engine.getEngine(ENGINE);
    }

    /**
     * Checks and loads runtime-layout weights (see {@code WeightMapping}) onto the chosen device.
     *
     * @throws IllegalArgumentException naming every missing or wrong-shaped tensor
     * @throws IllegalStateException if CUDA is chosen and the engine finds no GPU
     */
    public static Gpt2Model load(WeightSource source, Hparams hparams, ModelConfig config, DeviceChoice deviceChoice) {
        Engine engine = Engine.getEngine(ENGINE);
        Device device = deviceChoice.resolve(engine);
        DecodeThreads decodeThreads = new DecodeThreads(device); // a wrong setting fails before the weights load
        CpuProducts products = new CpuProducts();
        WeightMemory memory = WeightMemory.configured(device.isGpu());
        NDManager manager = engine.newBaseManager(device);
        try {
            return new Gpt2Model(hparams, config, manager, Gpt2Weights.load(source, hparams, manager, memory), memory,
                    decodeThreads, products);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Hparams hparams() {
        return hparams;
    }

    public ModelConfig config() {
        return config;
    }

    public Device device() {
        return manager.getDevice();
    }

    /**
     * Every position's logits, {@code [rows][positions][vocab]}, for equal-length left-padded rows.
     *
     * @param attentionMask 0 marks padding; null means no padding
     */
    public float[][][] logits(int[][] inputIds, int[][] attentionMask) {
        return fullLogits(TokenBatch.of(inputIds, attentionMask, hparams), null);
    }

    /**
     * {@link #logits(int[][], int[][])} for one row, showing every intermediate value to
     * {@code observer} (see {@link ForwardObserver} for the names).
     */
    public float[][][] logits(int[][] inputIds, int[][] attentionMask, ForwardObserver observer) {
        if (inputIds != null && inputIds.length != 1) {
            throw new IllegalArgumentException("an observed forward takes one row, got " + inputIds.length);
        }
        return fullLogits(TokenBatch.of(inputIds, attentionMask, hparams), observer);
    }

    /**
     * A KV-cached decoder over this model for one generation at a time. Closing the decoder frees its
     * cache; the model stays open (and must outlive the decoder).
     */
    public KvCacheDecoder newDecoder() {
        return new KvCacheDecoder(this);
    }

    /**
     * How many CPU threads this model's decode steps run on, and why (see {@link DecodeThreads}):
     * e.g. {@code decode threads: auto; 1 row: 1 of 2 threads (fastest step: ...)}.
     */
    public String decodeThreads() {
        return decodeThreads.describe();
    }

    /**
     * Which kernel this model's matrix products run on, and why (see {@link CpuProducts}): e.g.
     * {@code matrix products: oneDNN (auto; gpt2j.cpu_products=blas for BLAS)}.
     */
    public String matrixProducts() {
        return forward.products().description();
    }

    /**
     * Where this model's weights live, and how much of them (see {@link WeightMemory}): e.g.
     * {@code weights: 498 MB copied (gpt2j.weight_memory=mapped to use the files' pages)}.
     */
    public String weightMemory() {
        return weightMemory.description();
    }

    /**
     * The arrays a decode step's matrix products read, in the hub's {@code [in, out]} layout: per
     * block {@code c_attn}, its bias, {@code attn c_proj}, bias, {@code c_fc}, bias, {@code mlp c_proj},
     * bias; then the LM head, {@code [E, V]}. For a benchmark's engine limit, which must stream the very
     * memory a step streams: two copies of the same matrices streamed at rates up to 5% apart, steadily,
     * within one process (docs/DECISIONS.md, "The engine limit reads the model's own weights"). The
     * model's own arrays, valid until it is closed: read them, never close or modify them.
     */
    public List<NDArray> stepProductOperands() {
        return forward.stepProductOperands();
    }

    /** Whether this model's matrix products run on oneDNN (see {@link #matrixProducts}). */
    public boolean oneDnnProducts() {
        return forward.products().oneDnn();
    }

    /** How many engine calls this model has issued since it was loaded (see {@link EngineOps}). */
    public long engineCalls() {
        return ops.calls();
    }

    /**
     * Every position's logits: the forward runs through a cache sized to the batch (one code path
     * with generation), the LM head runs once over all positions, and its output is copied to the
     * host once, straight into the returned rows.
     */
    private float[][][] fullLogits(TokenBatch batch, ForwardObserver observer) {
        int rows = batch.rows();
        int t = batch.length();
        try (NDManager step = manager.newSubManager();
                KvCache cache = new KvCache(step, forward, hparams, rows, t, t, config.positionIds())) {
            long[] positions = cache.mask().append(batch.mask());
            NDArray bias = biasArray(step, cache.mask().bias(t), rows, t, cache.mask().length());
            NDArray logits;
            if (observer == null) {
                logits = forward.logits(cache, batch.flatIds(), positions, bias, t, 0, false, step);
            } else {
                List<NDArray> probes = forward.observed(cache, batch.flatIds(), positions, bias, t, 0, step);
                logits = probes.get(probes.size() - 1);
                showProbes(observer, probes.subList(0, probes.size() - 1));
            }
            float[][][] out = new float[rows][t][hparams.nVocab()];
            FloatBuffer values = hostView(logits);
            for (float[][] row : out) {
                for (float[] position : row) {
                    values.get(position);
                }
            }
            return out;
        }
    }

    /** The script's probes, in its order: embed, then per block the {@link ForwardObserver} names, then ln_f. */
    private void showProbes(ForwardObserver observer, List<NDArray> probes) {
        List<String> names = new ArrayList<>();
        names.add("embed");
        for (int i = 0; i < hparams.nLayer(); i++) {
            for (String what : List.of("ln_1", "attn.q", "attn.k", "attn.v", "attn", "ln_2", "mlp.c_fc", "mlp", "out")) {
                names.add("h" + i + "." + what);
            }
        }
        names.add("ln_f");
        if (names.size() != probes.size()) {
            throw new IllegalStateException("the TorchScript forward returned " + probes.size() + " probes, expected " + names.size());
        }
        for (int i = 0; i < names.size(); i++) {
            Shape s = probes.get(i).getShape();
            observer.probe(names.get(i), probes.get(i).reshape(-1, s.get(s.dimension() - 1))); // [B*T, width]
        }
    }

    /**
     * Runs {@code ids} (row-major {@code [rows, T]}, with {@code newMask}) through the model on top of
     * what {@code cache} holds, stores their K/V in it, and returns only the last position's logits,
     * {@code [rows, vocab]}, owned by {@code owner}: the LM head, the largest product of the step,
     * never sees earlier positions, and the logits stay on the model's device.
     */
    NDArray extend(KvCache cache, long[] ids, int[][] newMask, NDManager owner) {
        int rows = cache.rows();
        int t = newMask[0].length;
        int start = cache.mask().length();
        cache.ensureSlots(start + t);
        try (NDManager step = manager.newSubManager()) {
            long[] positions = cache.mask().append(newMask);
            NDArray bias = biasArray(step, cache.mask().bias(t), rows, t, cache.mask().length());
            if (t == 1) { // a decode step: on the CPU, on the thread count DecodeThreads picks
                return decodeThreads.run(rows, () -> forward.logits(cache, ids, positions, bias, 1, start, true, owner));
            }
            return forward.logits(cache, ids, positions, bias, t, start, true, owner);
        }
    }

    /** {@code logits} ({@code [rows, V]}) copied to the host once, one array per row. */
    static float[][] toHostRows(NDArray logits) {
        Shape shape = logits.getShape();
        float[][] out = new float[Math.toIntExact(shape.get(0))][Math.toIntExact(shape.get(1))];
        FloatBuffer values = hostView(logits);
        for (float[] row : out) {
            values.get(row);
        }
        return out;
    }

    /**
     * The array's values as seen from the host: on the CPU a view of the engine's own buffer (no
     * copy; the rows are then filled from it in one pass), elsewhere one device-to-host copy.
     */
    static FloatBuffer hostView(NDArray array) {
        return array.toByteBuffer(true).asFloatBuffer();
    }

    /** Beam search's cache moves as a GPU runs them (a gather a block), on this device too: for tests. */
    void gatherMovesAsOnAGpu() {
        forward.gatherMovesAsOnAGpu();
    }

    /** How many arrays the model's manager and its sub-managers hold: for tests that memory stays flat. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /**
     * A generation's cache: capacity n_ctx, arrays first sized for twice the prompt (at least 128
     * tokens, in steps of 64), grown on demand after that.
     */
    KvCache newCache(int rows, int promptLength) {
        int slots = Math.min(hparams.nCtx(), Math.max(128, (2 * promptLength + 63) / 64 * 64));
        return new KvCache(manager, forward, hparams, rows, hparams.nCtx(), slots, config.positionIds());
    }

    /** A manager for arrays that outlive one call (a decoder's last logits), freed with the model. */
    NDManager newResultManager() {
        return manager.newSubManager();
    }

    EngineOps ops() {
        return ops;
    }

    private NDArray biasArray(NDManager step, float[] bias, int rows, int queries, int keys) {
        return bias == null ? null : ops.create(step, bias, new Shape(rows, 1, 1, queries, keys));
    }

    @Override
    public void close() {
        forward.close();
        manager.close();
    }
}
