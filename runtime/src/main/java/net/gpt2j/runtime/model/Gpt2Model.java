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
import net.gpt2j.golden.Hparams;

/**
 * GPT-2's forward pass on DJL's PyTorch engine, in float32: one short method per idea (embedding,
 * LayerNorm, attention, MLP, block, LM head), shapes in the comments ({@code B} rows, {@code T} new
 * tokens, {@code S} tokens attended to, {@code E} width, {@code H} heads of {@code D}).
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
            NDArray x = embed(step, batch.flatIds(), positions, rows, t); // [B, T, E]
            observe(observer, "embed", x);
            for (int i = 0; i < hparams.nLayer(); i++) {
                x = block(i, x, bias, null, observer);
            }
            NDArray logits = lmHead(finalNorm(x, observer)); // [B, T, V]
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
            NDArray x = embed(step, ids, positions, rows, t); // [B, T, E]
            for (int i = 0; i < hparams.nLayer(); i++) {
                x = block(i, x, bias, cache, null);
            }
            NDArray last = x.get(step, new NDIndex().addAllDim().addIndices(t - 1)); // [B, E]
            NDArray logits = lmHead(finalNorm(last, null)); // [B, V]
            float[][][] out = split(logits.toFloatArray(), rows, 1, hparams.nVocab());
            float[][] perRow = new float[rows][];
            for (int r = 0; r < rows; r++) {
                perRow[r] = out[r][0];
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

    /** {@code wte[ids] + wpe[positions]}: [B, T, E]. */
    private NDArray embed(NDManager step, long[] ids, long[] positions, int rows, int t) {
        Shape bt = new Shape(rows, t);
        NDArray tokens = weights.wte.get(step, new NDIndex("{}", step.create(ids, bt))); // [B, T, E]
        NDArray places = weights.wpe.get(step, new NDIndex("{}", step.create(positions, bt))); // [B, T, E]
        return tokens.add(places);
    }

    /** [..., E] -> [..., E], normalised over the last axis. */
    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
        return LayerNorm.layerNorm(x, new Shape(hparams.nEmbd()), gain, bias, (float) config.layerNormEpsilon())
                .singletonOrThrow();
    }

    /**
     * Causal self-attention of x [B, T, E] over its own tokens, or with a cache over every token so
     * far; bias [B, 1, T, S] hides padding and the future (null: nothing hidden). Returns [B, T, E].
     */
    private NDArray attention(int layer, NDArray x, NDArray bias, KvCache cache, ForwardObserver observer) {
        Gpt2Weights.Block w = weights.blocks.get(layer);
        Shape shape = x.getShape();
        NDList qkv = linear(x, w.qkvWeight(), w.qkvBias()).split(3, 2); // 3 x [B, T, E], views
        observe(observer, layer, "attn.q", qkv.get(0));
        observe(observer, layer, "attn.k", qkv.get(1));
        observe(observer, layer, "attn.v", qkv.get(2));
        NDArray q = heads(qkv.get(0)); // [B, H, T, D]
        NDArray k = heads(qkv.get(1));
        NDArray v = heads(qkv.get(2));
        if (cache != null) {
            NDArray[] all = cache.store(layer, k, v, x.getManager());
            k = all[0]; // [B, H, S, D], a view of the cache
            v = all[1];
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(constants.sqrtHeadDim()); // [B, H, T, S]
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray context = scores.softmax(-1).matMul(v); // [B, H, T, D]
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(shape); // [B, T, E]
        return linear(merged, w.attnProjWeight(), w.attnProjBias());
    }

    /** [B, T, E] -> [B, H, T, D]: a view. */
    private NDArray heads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), hparams.nHead(), hparams.headDim()).transpose(0, 2, 1, 3);
    }

    /** [B, T, E] -> [B, T, 4E] -> GELU -> [B, T, E]. */
    private NDArray mlp(int layer, NDArray x, ForwardObserver observer) {
        Gpt2Weights.Block w = weights.blocks.get(layer);
        NDArray fc = linear(x, w.fcWeight(), w.fcBias());
        observe(observer, layer, "mlp.c_fc", fc);
        return linear(gelu(fc), w.mlpProjWeight(), w.mlpProjBias());
    }

    private NDArray gelu(NDArray x) {
        if (config.activation() == ModelConfig.Activation.GELU_ERF) {
            return Activation.gelu(x);
        }
        // HuggingFace's NewGELUActivation, op for op: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
        // x^3 as x * x * x: what torch.pow(x, 3.0) computes on CPU; DJL's pow(3) takes a generic path.
        Constants c = constants;
        NDArray inner = x.mul(x).mul(x).mul(c.geluCubic()).add(x).mul(c.sqrt2OverPi());
        return x.mul(c.half()).mul(inner.tanh().add(c.one()));
    }

    /** Pre-LayerNorm residual block: x + attn(ln_1(x)), then + mlp(ln_2(.)). [B, T, E] -> [B, T, E]. */
    private NDArray block(int layer, NDArray x, NDArray bias, KvCache cache, ForwardObserver observer) {
        Gpt2Weights.Block w = weights.blocks.get(layer);
        NDArray h = layerNorm(x, w.ln1Gain(), w.ln1Bias());
        observe(observer, layer, "ln_1", h);
        NDArray a = attention(layer, h, bias, cache, observer);
        observe(observer, layer, "attn", a);
        x = x.add(a);
        h = layerNorm(x, w.ln2Gain(), w.ln2Bias());
        observe(observer, layer, "ln_2", h);
        NDArray m = mlp(layer, h, observer);
        observe(observer, layer, "mlp", m);
        x = x.add(m);
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
        return linear(h, weights.wte, null);
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow(); // x @ weight^T + bias, weight [out, in]
    }

    // ---- plumbing ----

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
