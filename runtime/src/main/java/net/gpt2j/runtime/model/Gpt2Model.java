package net.gpt2j.runtime.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import net.gpt2j.format.Hparams;

/**
 * GPT-2's forward pass on DJL's PyTorch engine, in float32: one short method per idea (embedding,
 * LayerNorm, attention, MLP, block, LM head), shapes in the comments ({@code B} rows, {@code T} new
 * tokens, {@code S} tokens attended to, {@code E} width, {@code H} heads of {@code D}).
 *
 * <p>The residual stream is 2-D, {@code [B*T, E]}, as HuggingFace's {@code Conv1D} views it: a
 * linear on a 2-D input is one fused {@code addmm}, where a 3-D input costs a matmul plus a
 * separate bias add. On a GPU a decode step costs about (engine calls x the cost of one call), so
 * every tensor operation goes through {@link EngineOps}, one engine call each, counted
 * ({@link #engineCalls}): the stream is added to in place, Q/K/V stay stacked in the layout the
 * cache stores, the cache is written in place, Q comes pre-scaled (see
 * {@link Gpt2Weights#queryPreScaled}), a single-token step adds no mask, and the tanh GELU takes
 * six calls (see {@link #gelu}).
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
    private final Gpt2Weights weights;
    private final Constants constants;
    private final EngineOps ops = new EngineOps();

    /**
     * The forward pass's scalars as 0-dim arrays made once. DJL's {@code mul(Number)} and friends
     * build (and free) a native scalar for every call; a 0-dim float32 operand gives the same float32
     * arithmetic as a Python scalar does in PyTorch. {@code geluLinear} and {@code geluCubic} are
     * {@code 2 sqrt(2/pi)} and {@code 2 sqrt(2/pi) 0.044715}: the tanh GELU's argument, doubled for
     * the sigmoid form (see {@link Gpt2Model#gelu}).
     */
    private record Constants(NDArray geluLinear, NDArray geluCubic, NDArray sqrtHeadDim) {
        static Constants of(NDManager manager, Hparams hparams) {
            double twoSqrt2OverPi = 2 * Math.sqrt(2.0 / Math.PI);
            return new Constants(manager.create((float) twoSqrt2OverPi), manager.create((float) (twoSqrt2OverPi * 0.044715)),
                    manager.create((float) Math.sqrt(hparams.headDim())));
        }
    }

    private Gpt2Model(Hparams hparams, ModelConfig config, NDManager manager, Gpt2Weights weights) {
        this.hparams = hparams;
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.constants = Constants.of(manager, hparams);
    }

    /** Loads the weights onto the GPU when the engine finds one, else the CPU. */
    public static Gpt2Model load(WeightSource source, Hparams hparams, ModelConfig config) {
        return load(source, hparams, config, DeviceChoice.AUTO);
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
        NDManager manager = engine.newBaseManager(device);
        try {
            return new Gpt2Model(hparams, config, manager, Gpt2Weights.load(source, hparams, manager));
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
                KvCache cache = new KvCache(step, ops, hparams, rows, t, config.positionIds())) {
            NDArray x = hidden(step, cache, batch.flatIds(), batch.mask(), observer); // [B*T, E]
            NDArray logits = lmHead(finalNorm(x, observer)); // [B*T, V]
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

    /**
     * Runs {@code ids} (row-major {@code [rows, T]}, with {@code newMask}) through the model on top of
     * what {@code cache} holds, stores their K/V in it, and returns only the last position's logits,
     * {@code [rows, vocab]}, owned by {@code owner}: the LM head, the largest product of the step,
     * never sees earlier positions, and the logits stay on the model's device.
     */
    NDArray extend(KvCache cache, long[] ids, int[][] newMask, NDManager owner) {
        int rows = cache.rows();
        int t = newMask[0].length;
        try (NDManager step = manager.newSubManager()) {
            NDArray x = hidden(step, cache, ids, newMask, null); // [B*T, E]
            NDArray last = t == 1 ? x // [B, E] already: a decode step
                    : ops.slice(x, step, new long[] {t - 1}, new long[] {(long) rows * t}, new long[] {t});
            NDArray logits = lmHead(finalNorm(last, null)); // [B, V]
            logits.attach(owner);
            return logits;
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

    /** How many arrays the model's manager and its sub-managers hold: for tests that memory stays flat. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    KvCache newCache(int rows) {
        return new KvCache(manager, ops, hparams, rows, hparams.nCtx(), config.positionIds());
    }

    /** A manager for arrays that outlive one call (a decoder's last logits), freed with the model. */
    NDManager newResultManager() {
        return manager.newSubManager();
    }

    EngineOps ops() {
        return ops;
    }

    // ---- the forward pass ----

    /** Embedding and blocks over the new tokens, with the cache: the residual stream {@code [B*T, E]}. */
    private NDArray hidden(NDManager step, KvCache cache, long[] ids, int[][] newMask, ForwardObserver observer) {
        int rows = cache.rows();
        int t = newMask[0].length;
        long[] positions = cache.mask().append(newMask);
        NDArray bias = biasArray(step, cache.mask().bias(t), rows, t, cache.mask().length());
        NDArray x = embed(step, ids, positions); // [B*T, E]
        observe(observer, "embed", x);
        for (int i = 0; i < hparams.nLayer(); i++) {
            x = block(i, x, rows, t, bias, cache, observer);
        }
        return x;
    }

    /** {@code wte[ids] + wpe[positions]}, ids and positions row-major [B*T]: [B*T, E]. */
    private NDArray embed(NDManager step, long[] ids, long[] positions) {
        if (ids.length == 1) { // a batch-1 decode step: two row views, no index arrays to build on the host
            NDArray token = ops.slice(weights.wte, step, new long[] {ids[0]}, new long[] {ids[0] + 1}); // [1, E]
            NDArray place = ops.slice(weights.wpe, step, new long[] {positions[0]}, new long[] {positions[0] + 1});
            NDArray sum = ops.add(token, place);
            free(token, place);
            return sum;
        }
        NDArray tokenIds = ops.create(step, ids);
        NDArray tokens = ops.embedding(tokenIds, weights.wte); // [B*T, E], owned by step as tokenIds is
        NDArray placeIds = ops.create(step, positions);
        NDArray places = ops.embedding(placeIds, weights.wpe);
        ops.addInPlace(tokens, places); // tokens is a fresh gather, this call's own
        free(tokenIds, placeIds, places);
        return tokens;
    }

    /** [..., E] -> [..., E], normalised over the last axis. */
    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
        return ops.layerNorm(x, hparams.nEmbd(), gain, bias, config.layerNormEpsilon());
    }

    /**
     * Causal self-attention of x [B*T, E] over every token so far (the cache holds them, this call's
     * included); bias [B, 1, 1, T, S] hides padding and the future (null: nothing hidden). Returns
     * [B*T, E].
     *
     * <p>Q, K and V stay stacked as {@code [B, 3, H, T, D]} (at T = 1 a free reshape of the projection),
     * the layout the cache keeps K and V in, so the new K and V go into the cache with one copy and
     * Q is a view; scores and context broadcast over the stacking axis, which stays 1.
     */
    private NDArray attention(int layer, NDArray x, int rows, int t, NDArray bias, KvCache cache,
            ForwardObserver observer) {
        Gpt2Weights.Block w = weights.blocks.get(layer);
        NDManager step = x.getManager();
        int heads = hparams.nHead();
        int headDim = hparams.headDim();
        NDArray qkv = ops.linear(x, w.qkvWeight(), w.qkvBias()); // [B*T, 3E]
        if (observer != null) {
            observeQkv(observer, layer, qkv);
        }
        NDArray stacked; // [B, 3, H, T, D]
        if (t == 1) {
            stacked = ops.reshape(qkv, rows, 3, heads, 1, headDim);
        } else {
            NDArray split = ops.reshape(qkv, rows, t, 3, heads, headDim);
            stacked = ops.permute(split, 0, 2, 3, 1, 4);
            split.close();
        }
        NDArray newKeysValues = ops.slice(stacked, step, new long[] {0, 1}, new long[] {rows, 3}); // [B, 2, H, T, D]
        cache.write(layer, newKeysValues);
        NDArray q = ops.slice(stacked, step, new long[] {0, 0}, new long[] {rows, 1}); // [B, 1, H, T, D]
        free(newKeysValues, stacked, qkv);
        NDArray keysT = cache.keysTransposed(layer, step); // [B, 1, H, D, S]
        NDArray scores = ops.matMul(q, keysT); // [B, 1, H, T, S]
        free(q, keysT);
        if (!weights.queryPreScaled) {
            scores = replaced(scores, ops.div(scores, constants.sqrtHeadDim()));
        }
        if (bias != null) {
            ops.addInPlace(scores, bias); // broadcast over heads
        }
        NDArray probs = ops.softmax(scores, -1);
        NDArray values = cache.values(layer, step); // [B, 1, H, S, D]
        NDArray context = ops.matMul(probs, values); // [B, 1, H, T, D]
        free(scores, probs, values);
        // [B*T, E] with the heads side by side; at T = 1 the head-major layout already is that, so a
        // view replaces the transpose and its copy
        NDArray merged;
        if (t == 1) {
            merged = ops.reshape(context, rows, hparams.nEmbd());
        } else {
            NDArray tokenMajor = ops.permute(context, 0, 1, 3, 2, 4); // [B, 1, T, H, D]
            merged = ops.reshape(tokenMajor, (long) rows * t, hparams.nEmbd());
            tokenMajor.close();
        }
        NDArray out = ops.linear(merged, w.attnProjWeight(), w.attnProjBias());
        free(context, merged);
        return out;
    }

    /** Shows the thirds of the fused projection, Q as HuggingFace has it (before any pre-scaling). */
    private void observeQkv(ForwardObserver observer, int layer, NDArray qkv) {
        NDList thirds = qkv.split(3, 1); // 3 x [B*T, E], views
        NDArray q = thirds.get(0);
        observe(observer, layer, "attn.q", weights.queryPreScaled ? q.mul(constants.sqrtHeadDim()) : q);
        observe(observer, layer, "attn.k", thirds.get(1));
        observe(observer, layer, "attn.v", thirds.get(2));
    }

    /** [B*T, E] -> [B*T, 4E] -> GELU -> [B*T, E]. */
    private NDArray mlp(int layer, NDArray x, ForwardObserver observer) {
        Gpt2Weights.Block w = weights.blocks.get(layer);
        NDArray fc = ops.linear(x, w.fcWeight(), w.fcBias());
        observe(observer, layer, "mlp.c_fc", fc);
        NDArray activated = gelu(fc);
        NDArray out = ops.linear(activated, w.mlpProjWeight(), w.mlpProjBias());
        fc.close();
        if (activated != fc) { // the tanh GELU works in place, the erf one returns a new array
            activated.close();
        }
        return out;
    }

    /**
     * HuggingFace's {@code gelu_new}, {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, as
     * {@code x * sigmoid(2 sqrt(2/pi) x (1 + 0.044715 x^2))}: the same function ({@code (1 + tanh z) / 2
     * = sigmoid(2z)}), in six engine calls where HF's expression takes nine, since DJL 0.35.1 exposes
     * neither torch's fused tanh GELU nor an fma. The two differ by float rounding only (the sigmoid
     * form avoids the cancellation in {@code 1 + tanh z} for negative z), far inside the kit's
     * tolerances. Works in place on x (the c_fc output, not read after this).
     */
    private NDArray gelu(NDArray x) {
        if (config.activation() == ModelConfig.Activation.GELU_ERF) {
            return ops.geluErf(x);
        }
        NDArray argument = ops.square(x);
        ops.mulInPlace(argument, constants.geluCubic());
        ops.addInPlace(argument, constants.geluLinear());
        ops.mulInPlace(argument, x); // 2 sqrt(2/pi) (x + 0.044715 x^3)
        NDArray gate = ops.sigmoid(argument);
        argument.close();
        ops.mulInPlace(x, gate);
        gate.close();
        return x;
    }

    /** Pre-LayerNorm residual block: x + attn(ln_1(x)), then + mlp(ln_2(.)). [B*T, E] -> [B*T, E]. */
    private NDArray block(int layer, NDArray x, int rows, int t, NDArray bias, KvCache cache,
            ForwardObserver observer) {
        Gpt2Weights.Block w = weights.blocks.get(layer);
        NDArray h = layerNorm(x, w.ln1Gain(), w.ln1Bias());
        observe(observer, layer, "ln_1", h);
        NDArray a = attention(layer, h, rows, t, bias, cache, observer);
        observe(observer, layer, "attn", a);
        ops.addInPlace(x, a); // the residual stream in place: x is this call's own (the embedding or a block's sum)
        free(h, a);
        h = layerNorm(x, w.ln2Gain(), w.ln2Bias());
        observe(observer, layer, "ln_2", h);
        NDArray m = mlp(layer, h, observer);
        observe(observer, layer, "mlp", m);
        ops.addInPlace(x, m);
        free(h, m);
        observe(observer, layer, "out", x);
        return x;
    }

    /** The final LayerNorm, [..., E] -> [..., E]. */
    private NDArray finalNorm(NDArray x, ForwardObserver observer) {
        NDArray h = layerNorm(x, weights.lnFGain, weights.lnFBias);
        observe(observer, "ln_f", h);
        return h;
    }

    /** {@code ln_f @ wte^T}: [..., E] -> [..., V], the head tied to the token embedding. */
    private NDArray lmHead(NDArray h) {
        return ops.linear(h, weights.lmHead, null);
    }

    // ---- plumbing ----

    /**
     * Frees intermediates as soon as they are dead rather than when the call's manager closes: the
     * same number of frees, but the allocator hands the memory straight back to the next op, still in
     * cache, instead of growing the heap by a step's worth of small arrays and releasing it at once.
     */
    private static void free(NDArray... arrays) {
        for (NDArray a : arrays) {
            a.close();
        }
    }

    /** {@code next}, after freeing {@code previous}, the value it was computed from. */
    private static NDArray replaced(NDArray previous, NDArray next) {
        previous.close();
        return next;
    }

    private NDArray biasArray(NDManager step, float[] bias, int rows, int queries, int keys) {
        return bias == null ? null : ops.create(step, bias, new Shape(rows, 1, 1, queries, keys));
    }

    private static void observe(ForwardObserver observer, int layer, String what, NDArray x) {
        if (observer != null) {
            observe(observer, "h" + layer + "." + what, x);
        }
    }

    private static void observe(ForwardObserver observer, String name, NDArray x) {
        if (observer != null) {
            Shape s = x.getShape();
            observer.probe(name, x.reshape(-1, s.get(s.dimension() - 1))); // [B*T, width]
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
