package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;

/**
 * GPT-2's forward pass as one TorchScript method ({@code Gpt2Forward.py}, next to this class): a
 * whole forward, every block, the cache writes and the LM head, is one engine call, where the same
 * ops issued one by one from Java cost a JNI crossing, a Java array object and a dispatch each
 * (about 290 for a 124M decode step). On a GPU a step's time is set by that count, not by the
 * arithmetic; libtorch's interpreter issues the same kernels without the crossings.
 *
 * <p>The script runs HuggingFace's arithmetic in HuggingFace's order (see the script's comments for
 * the deliberate departures: Q pre-scaled at load, the cache written in place, the LM head stored
 * {@code [E, V]}, and on the CPU oneDNN's products ({@link CpuProducts}) with a decode step's
 * attention as one fused call beside them), all float32, so results differ from HF's in the last
 * bits only.
 *
 * <p>The weights go in once, as one list the module call reuses; per call only the token ids, their
 * positions, the shape and (with padding or several tokens) the attention bias are built.
 */
final class ScriptedForward implements AutoCloseable {

    static final String CLASS_NAME = "Gpt2Forward";
    /** DJL's switch to run module calls on a CUDA stream of their own. */
    static final String SEPARATE_STREAM_PROPERTY = "ai.djl.pytorch.enable_cuda_stream";
    /** The fixed part of the weights list; each block's twelve follow (see {@link #weightList}). */
    private static final int HEADER = 6;

    private final PtSymbolBlock module;
    private final EngineOps ops;
    private final Hparams hparams;
    private final IValue weightList;
    /** Beam search's in-place cache moves as a gather (a GPU's way) instead of row copies ({@link #moveRows}). */
    private boolean gatherMoves;
    /** What a step's products read, as {@link #stepProductOperands} lists them. */
    private final List<NDArray> productOperands = new ArrayList<>();
    private final IValue config;
    private final IValue noBias;
    private final List<NDArray> constants = new ArrayList<>();
    private final CpuProducts.Decision products;

    ScriptedForward(NDManager manager, EngineOps ops, Hparams hparams, ModelConfig modelConfig, Gpt2Weights weights,
            CpuProducts productsSetting) {
        this.ops = ops;
        this.hparams = hparams;
        if (Boolean.getBoolean(SEPARATE_STREAM_PROPERTY)) {
            // DJL would run each script call on a pooled CUDA stream, unsynchronised with the default
            // stream the decoder's topk and copies use: a race on the logits
            throw new IllegalStateException("-D" + SEPARATE_STREAM_PROPERTY + "=true is not supported: the runtime runs its"
                    + " forward and its decisions on one CUDA stream (remove the property)");
        }
        byte[] archive = TorchScriptArchive.of(CLASS_NAME, TorchScriptArchive.resource(CLASS_NAME + ".py"));
        try {
            this.module = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException("libtorch could not load the runtime's TorchScript forward", e);
        }
        JniUtils.enableInferenceMode(module);
        boolean gpu = manager.getDevice().isGpu();
        this.gatherMoves = gpu;
        this.products = productsSetting.decide(gpu, productsSetting.wantsOneDnn(gpu) ? oneDnnProbeFailure(manager) : null);
        this.weightList = weightList(manager, hparams, weights, products.oneDnn());
        this.config = IValue.listFrom(modelConfig.layerNormEpsilon(),
                modelConfig.activation() == ModelConfig.Activation.GELU_ERF ? 1.0 : 0.0,
                weights.queryPreScaled ? 1.0 : 0.0,
                products.oneDnn() ? 1.0 : 0.0);
        NDArray empty = manager.create(new Shape(0), DataType.FLOAT32);
        constants.add(empty);
        this.noBias = IValue.from((PtNDArray) empty);
    }

    /**
     * Null if the script's oneDNN product runs here and gives {@code [[1, 1, 1]] @ ones(3, 4) + 1 = 4}
     * everywhere, else why not, in one line: a libtorch built without oneDNN throws at the call.
     */
    private String oneDnnProbeFailure(NDManager manager) {
        try (IValue out = run("onednn_probe"); NDArray product = out.toTensor((PtNDManager) manager)) {
            float[] values = product.toFloatArray();
            for (float v : values) {
                if (v != 4f) {
                    return "its linear gave " + java.util.Arrays.toString(values) + " for a product of all 4s";
                }
            }
            return values.length == 8 ? null : "its linear gave " + values.length + " values for a 2 x 4 product";
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
        }
    }

    /** Which kernel this forward's products run on, and why ({@link CpuProducts}). */
    CpuProducts.Decision products() {
        return products;
    }

    /**
     * The script's weights list: {@code wte [E, V], wpe, ln_f gain, ln_f bias, head [E, V], sqrt(head_dim)}, then
     * per block {@code ln_1 gain, bias, c_attn [E, 3E], bias, attn c_proj [E, E], bias, ln_2 gain,
     * bias, c_fc [E, 4E], bias, mlp c_proj [4E, E], bias} (the hub's Conv1D layout, {@code [in, out]}). {@code sqrt(head_dim)} is a 0-dim float32
     * array: float32 arithmetic, as HuggingFace's division of float32 scores gives.
     *
     * <p>Under oneDNN's products the five matrices the script multiplies by (the head and each
     * block's four) go in as their transposed views, {@code [out, in]}, the layout oneDNN's linear
     * takes: made once here instead of a {@code t()} per product per step in the script, three
     * dispatcher calls each (49 products a 124M step). Same view, same strides: the same bits.
     */
    private IValue weightList(NDManager manager, Hparams hparams, Gpt2Weights w, boolean oneDnn) {
        NDArray sqrtHeadDim = manager.create((float) Math.sqrt(hparams.headDim()));
        constants.add(sqrtHeadDim);
        List<NDArray> list = new ArrayList<>(List.of(w.tokenColumns, w.wpe, w.lnFGain, w.lnFBias,
                productMatrix(w.headColumns, oneDnn), sqrtHeadDim));
        if (list.size() != HEADER) {
            throw new AssertionError("the weights list's header is " + HEADER + " long in Gpt2Forward.py");
        }
        for (Gpt2Weights.Block b : w.blocks) {
            productOperands.addAll(List.of(b.qkvWeight(), b.qkvBias(), b.attnProjWeight(), b.attnProjBias(), b.fcWeight(),
                    b.fcBias(), b.mlpProjWeight(), b.mlpProjBias()));
            list.addAll(List.of(b.ln1Gain(), b.ln1Bias(), productMatrix(b.qkvWeight(), oneDnn), b.qkvBias(),
                    productMatrix(b.attnProjWeight(), oneDnn), b.attnProjBias(), b.ln2Gain(), b.ln2Bias(),
                    productMatrix(b.fcWeight(), oneDnn), b.fcBias(), productMatrix(b.mlpProjWeight(), oneDnn), b.mlpProjBias()));
        }
        productOperands.add(w.headColumns);
        return IValue.listFrom(list.toArray(PtNDArray[]::new));
    }

    /**
     * The arrays a decode step's matrix products read, as the model holds them: per block
     * {@code c_attn [E, 3E]}, its bias, {@code attn c_proj [E, E]}, bias, {@code c_fc [E, 4E]}, bias,
     * {@code mlp c_proj [4E, E]}, bias; then the head {@code [E, V]}. The model's own arrays, not copies.
     */
    List<NDArray> stepProductOperands() {
        return java.util.Collections.unmodifiableList(productOperands);
    }

    /** {@code m} ({@code [in, out]}) as the script's linear takes it: a transposed view for oneDNN, else itself. */
    private NDArray productMatrix(NDArray m, boolean oneDnn) {
        if (!oneDnn) {
            return m;
        }
        NDArray view = m.transpose(); // a view: no copy
        constants.add(view);
        return view;
    }

    /**
     * Runs {@code ids} (row-major {@code [rows, t]}, at {@code positions}) through the model on top of
     * the {@code start} tokens {@code cache} holds, writing their K and V into its slots
     * {@code [start, start + t)}. Returns the logits of every position ({@code [rows * t, V]}) or, with
     * {@code lastOnly}, of each row's last ({@code [rows, V]}), owned by {@code owner}.
     *
     * @param bias {@code [rows, 1, 1, t, start + t]}, added to the attention scores; null adds nothing
     */
    NDArray logits(KvCache cache, long[] ids, long[] positions, NDArray bias, int t, int start, boolean lastOnly,
            NDManager owner) {
        try (Call call = new Call(cache, ids, positions, bias, t, start, lastOnly, false)) {
            IValue out = call.run("forward");
            try (out) {
                return ops.counted(out.toTensor((PtNDManager) owner));
            }
        }
    }

    /**
     * {@link #logits} with every intermediate value (the {@link ForwardObserver} names, in their
     * order), the logits of every position last.
     */
    List<NDArray> observed(KvCache cache, long[] ids, long[] positions, NDArray bias, int t, int start, NDManager owner) {
        try (Call call = new Call(cache, ids, positions, bias, t, start, false, true)) {
            IValue out = call.run("observed");
            try (out) {
                return List.of(ops.counted(out.toTensorArray((PtNDManager) owner)));
            }
        }
    }

    /** {@code arrays} as one TorchScript list (a cache's arrays, as the script takes them). */
    IValue listOf(NDArray[] arrays) {
        return ops.counted(IValue.listFrom(java.util.Arrays.stream(arrays).map(PtNDArray.class::cast).toArray(PtNDArray[]::new)));
    }

    /**
     * Reorders every block's cache rows into new arrays in one call (the script's {@code reorder}):
     * new row r is old row {@code sourceRows[r]}, the first {@code length} slots copied. For a
     * reorder that keeps the row count use {@link #moveRows}. Returns the new arrays, owned by
     * {@code owner}.
     */
    NDArray[] reorder(IValue caches, long[] sourceRows, int length, NDManager owner) {
        IValue rows = ops.counted(IValue.listFrom(sourceRows));
        IValue used = ops.counted(IValue.from((long) length));
        try (rows; used; IValue out = run("reorder", caches, rows, used)) {
            return ops.counted(out.toTensorArray((PtNDManager) owner));
        }
    }

    /**
     * Every block's cache rows moved in place by {@code moves}, the first {@code length} slots. The
     * cache keeps its arrays and its list of them. On the CPU one copy per moved row (the script's
     * {@code moved}: the copies stream at memory speed, where a gather went element by element); on a
     * GPU a gather and a scatter a block (the script's {@code gathered}: a launch per moved row would
     * cost more than the bytes).
     */
    void moveRows(IValue caches, RowMoves moves, int length) {
        IValue plan = ops.counted(IValue.listFrom(gatherMoves ? moves.pairs() : moves.steps()));
        IValue used = ops.counted(IValue.from((long) length));
        try (plan; used) {
            run(gatherMoves ? "gathered" : "moved", caches, plan, used).close();
        }
    }

    /** Moves cache rows as on a GPU, by a gather, here too: for tests of that path. */
    void gatherMovesAsOnAGpu() {
        gatherMoves = true;
    }

    /**
     * Every block's cache in new arrays of {@code slots} slots per row, the first {@code length}
     * copied (the script's {@code grown}); owned by {@code owner}.
     */
    NDArray[] grown(IValue caches, int slots, int length, NDManager owner) {
        IValue size = ops.counted(IValue.from((long) slots));
        IValue used = ops.counted(IValue.from((long) length));
        try (size; used; IValue out = run("grown", caches, size, used)) {
            return ops.counted(out.toTensorArray((PtNDManager) owner));
        }
    }

    /** One call of the script's {@code method}, under the graph-executor setting this thread needs. */
    private IValue run(String method, IValue... arguments) {
        GraphExecutorSetting.applyOnThisThread();
        return ops.counted(IValueUtils.runMethod(module, method, arguments));
    }

    /** The per-call arguments, freed after the call (the weights, config and cache lists are kept). */
    private final class Call implements AutoCloseable {
        private final IValue[] perCall;
        private final IValue[] arguments;

        Call(KvCache cache, long[] ids, long[] positions, NDArray bias, int t, int start, boolean lastOnly, boolean observe) {
            IValue idList = ops.counted(IValue.listFrom(ids));
            IValue positionList = ops.counted(IValue.listFrom(positions));
            IValue shape = ops.counted(IValue.listFrom(cache.rows(), t, start, lastOnly ? 1 : 0, observe ? 1 : 0,
                    hparams.nHead(), hparams.headDim()));
            IValue biasValue = bias == null ? noBias : ops.counted(IValue.from((PtNDArray) bias));
            perCall = bias == null ? new IValue[] {idList, positionList, shape} : new IValue[] {idList, positionList, shape, biasValue};
            arguments = new IValue[] {weightList, cache.scriptView(), idList, positionList, biasValue, shape, config};
        }

        IValue run(String method) {
            return ScriptedForward.this.run(method, arguments);
        }

        @Override
        public void close() {
            for (IValue v : perCall) {
                v.close();
            }
        }
    }

    @Override
    public void close() {
        weightList.close();
        config.close();
        noBias.close();
        constants.forEach(NDArray::close);
        module.close();
    }
}
