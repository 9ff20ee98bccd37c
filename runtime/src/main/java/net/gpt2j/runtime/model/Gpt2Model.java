package net.gpt2j.runtime.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.Arrays;
import net.gpt2j.format.Hparams;

/**
 * GPT-2's forward pass on DJL's PyTorch engine, in float32: one short method per idea (embedding,
 * LayerNorm, attention, MLP, block, LM head), shapes in the comments ({@code B} rows, {@code T} new
 * tokens, {@code S} tokens attended to, {@code E} width, {@code H} heads of {@code D}).
 *
 * <p>The residual stream is 2-D, {@code [B*T, E]}, as HuggingFace's {@code Conv1D} views it: a
 * linear on a 2-D input is one fused {@code addmm}, where a 3-D input costs a matmul plus a
 * separate bias add. A decode step's time beyond its matrix products is mostly the fixed cost of
 * each small op (a JNI call, an array to track and free), so the step is written to need few: the
 * stream is added to in place, GELU reuses its temporaries, Q/K/V stay stacked, and Q comes
 * pre-scaled (see {@link Gpt2Weights#queryPreScaled}).
 *
 * <p>Two ways in: {@link #logits} runs whole sequences and returns every position's logits (golden
 * checks, perplexity); {@link #newDecoder} returns a KV-cached {@code LogitsSource} for generation.
 * Each call does its work in a sub-manager closed at its end, so native memory stays flat; only the
 * weights (and a decoder's cache) outlive a call.
 */
public final class Gpt2Model implements AutoCloseable {

    private static final String ENGINE = "PyTorch";
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private final Hparams hparams;
    private final ModelConfig config;
    private final NDManager manager;
    private final Gpt2Weights weights;
    private final Constants constants;

    /**
     * The forward pass's scalars as 0-dim arrays made once. DJL's {@code mul(Number)} and friends
     * build (and free) a native scalar for every call, 70 of them per decode step; a 0-dim float32
     * operand gives the same float32 arithmetic as a Python scalar does in PyTorch.
     */
    private record Constants(NDArray half, NDArray one, NDArray geluCubic, NDArray sqrt2OverPi, NDArray sqrtHeadDim) {
        static Constants of(NDManager manager, Hparams hparams) {
            return new Constants(manager.create(0.5f), manager.create(1f), manager.create(0.044715f),
                    manager.create(SQRT_2_OVER_PI), manager.create((float) Math.sqrt(hparams.headDim())));
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

    private float[][][] fullLogits(TokenBatch batch, ForwardObserver observer) {
        int rows = batch.rows();
        int t = batch.length();
        try (NDManager step = manager.newSubManager()) {
            SequenceMask mask = new SequenceMask(rows, t, config.positionIds());
            long[] positions = mask.append(batch.mask());
            NDArray bias = biasArray(step, mask.bias(t), rows, t, t);
            NDArray x = embed(step, batch.flatIds(), positions); // [B*T, E]
            observe(observer, "embed", x);
            for (int i = 0; i < hparams.nLayer(); i++) {
                x = block(i, x, rows, t, bias, null, observer);
            }
            NDArray logits = lmHead(finalNorm(x, observer)); // [B*T, V]
            return split(logits.toFloatArray(), rows, t, hparams.nVocab());
        }
    }

    /**
     * Runs {@code ids} (row-major {@code [rows, T]}, with {@code newMask}) through the model on top of
     * what {@code cache} holds, stores their K/V in it, and returns only the last position's logits,
     * {@code [rows][vocab]}: the LM head, the largest product of the step, never sees earlier
     * positions.
     */
    float[][] extend(KvCache cache, long[] ids, int[][] newMask) {
        int rows = cache.rows();
        int t = newMask[0].length;
        try (NDManager step = manager.newSubManager()) {
            long[] positions = cache.mask().append(newMask);
            NDArray bias = biasArray(step, cache.mask().bias(t), rows, t, cache.mask().length());
            NDArray x = embed(step, ids, positions); // [B*T, E]
            for (int i = 0; i < hparams.nLayer(); i++) {
                x = block(i, x, rows, t, bias, cache, null);
            }
            NDArray last = t == 1 ? x // [B, E] already: a decode step
                    : x.reshape(rows, t, hparams.nEmbd()).get(step, new NDIndex().addAllDim().addIndices(t - 1));
            NDArray logits = lmHead(finalNorm(last, null)); // [B, V]
            float[] flat = logits.toFloatArray();
            if (rows == 1) {
                return new float[][] {flat};
            }
            int vocab = hparams.nVocab();
            float[][] perRow = new float[rows][];
            for (int r = 0; r < rows; r++) {
                perRow[r] = Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab);
            }
            return perRow;
        }
    }

    /** How many arrays the model's manager and its sub-managers hold: for tests that memory stays flat. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    KvCache newCache(int rows) {
        return new KvCache(manager, hparams, rows, config.positionIds());
    }

    // ---- the forward pass ----

    /** {@code wte[ids] + wpe[positions]}, ids and positions row-major [B*T]: [B*T, E]. */
    private NDArray embed(NDManager step, long[] ids, long[] positions) {
        if (ids.length == 1) { // a batch-1 decode step: two row views, no index arrays to build on the host
            NDArray token = weights.wte.get(step, new NDIndex().addSliceDim(ids[0], ids[0] + 1)); // [1, E]
            NDArray place = weights.wpe.get(step, new NDIndex().addSliceDim(positions[0], positions[0] + 1));
            NDArray sum = token.add(place);
            free(token, place);
            return sum;
        }
        NDArray tokens = weights.wte.get(step, new NDIndex("{}", step.create(ids))); // [B*T, E]
        NDArray places = weights.wpe.get(step, new NDIndex("{}", step.create(positions))); // [B*T, E]
        return tokens.addi(places); // tokens is a fresh gather, this call's own
    }

    /** [..., E] -> [..., E], normalised over the last axis. */
    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
        return LayerNorm.layerNorm(x, new Shape(hparams.nEmbd()), gain, bias, (float) config.layerNormEpsilon())
                .singletonOrThrow();
    }

    /**
     * Causal self-attention of x [B*T, E] over its own tokens, or with a cache over every token so
     * far; bias [B, 1, T, S] hides padding and the future (null: nothing hidden). Returns [B*T, E].
     *
     * <p>Q, K and V stay stacked on a leading axis of 3 (then 1 and 2) rather than split into three
     * arrays: a decode step runs a few dozen small ops per block, each a JNI call plus an array to
     * free, and this layout needs fewer of them (one head split, one cache write per layer).
     */
    private NDArray attention(int layer, NDArray x, int rows, int t, NDArray bias, KvCache cache,
            ForwardObserver observer) {
        Gpt2Weights.Block w = weights.blocks.get(layer);
        NDArray qkv = linear(x, w.qkvWeight(), w.qkvBias()); // [B*T, 3E]
        if (observer != null) {
            observeQkv(observer, layer, qkv);
        }
        NDArray split = qkv.reshape(rows, t, 3, hparams.nHead(), hparams.headDim()); // a view
        NDArray stacked = split.transpose(2, 0, 3, 1, 4); // [3, B, H, T, D], a view
        NDList qAndKv = stacked.split(new long[] {1}, 0);
        free(qkv, split, stacked);
        NDArray q = qAndKv.get(0); // [1, B, H, T, D]
        NDArray kv = qAndKv.get(1); // [2, B, H, T, D]
        if (cache != null) {
            kv = cache.store(layer, kv, x.getManager()); // [2, B, H, S, D], a view of the cache
            qAndKv.get(1).close();
        }
        NDList kAndV = kv.split(2, 0);
        kv.close();
        NDArray k = kAndV.get(0); // [1, B, H, S, D]
        NDArray v = kAndV.get(1);
        NDArray keysT = k.transpose(0, 1, 2, 4, 3);
        NDArray scores = q.matMul(keysT); // [1, B, H, T, S]
        free(q, k, keysT);
        if (!weights.queryPreScaled) {
            scores = replaced(scores, scores.div(constants.sqrtHeadDim()));
        }
        if (bias != null) {
            scores = replaced(scores, scores.add(bias)); // [B, 1, T, S] broadcast over the leading axis and heads
        }
        NDArray probs = scores.softmax(-1);
        NDArray context = probs.matMul(v); // [1, B, H, T, D]
        free(scores, probs, v);
        // [B*T, E] with the heads side by side; at T = 1 the head-major layout already is that, so a
        // view replaces the transpose and its copy
        NDArray merged = t == 1
                ? context.reshape(rows, hparams.nEmbd())
                : context.transpose(0, 1, 3, 2, 4).reshape((long) rows * t, hparams.nEmbd());
        NDArray out = linear(merged, w.attnProjWeight(), w.attnProjBias());
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
        NDArray fc = linear(x, w.fcWeight(), w.fcBias());
        observe(observer, layer, "mlp.c_fc", fc);
        NDArray activated = gelu(fc);
        NDArray out = linear(activated, w.mlpProjWeight(), w.mlpProjBias());
        fc.close();
        if (activated != fc) { // the tanh GELU works in place, the erf one returns a new array
            activated.close();
        }
        return out;
    }

    private NDArray gelu(NDArray x) {
        if (config.activation() == ModelConfig.Activation.GELU_ERF) {
            return Activation.gelu(x);
        }
        // HuggingFace's NewGELUActivation, op for op: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
        // x^3 as x * x * x: what torch.pow(x, 3.0) computes on CPU; DJL's pow(3) takes a generic path.
        // In-place where HF's expression makes a temporary: the same ops in the same order, with 2 new
        // arrays instead of 9 to allocate and free. x (the c_fc output) is not read after this.
        Constants c = constants;
        NDArray inner = x.mul(x).muli(x).muli(c.geluCubic()).addi(x).muli(c.sqrt2OverPi());
        NDArray onePlusTanh = inner.tanh().addi(c.one());
        inner.close();
        x.muli(c.half()).muli(onePlusTanh);
        onePlusTanh.close();
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
        x = x.addi(a); // the residual stream in place: x is this call's own (the embedding or a block's sum)
        free(h, a);
        h = layerNorm(x, w.ln2Gain(), w.ln2Bias());
        observe(observer, layer, "ln_2", h);
        NDArray m = mlp(layer, h, observer);
        observe(observer, layer, "mlp", m);
        x = x.addi(m);
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
        return linear(h, weights.lmHead, null);
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow(); // x @ weight^T + bias, weight [out, in]
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

    private static NDArray biasArray(NDManager step, float[] bias, int rows, int queries, int keys) {
        return bias == null ? null : step.create(bias, new Shape(rows, 1, queries, keys));
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

    private static float[][][] split(float[] flat, int rows, int t, int vocab) {
        float[][][] out = new float[rows][t][vocab];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < t; p++) {
                System.arraycopy(flat, (r * t + p) * vocab, out[r][p], 0, vocab);
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
