package net.gpt2j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;
import net.gpt2j.runtime.model.Gpt2Model;
import net.gpt2j.runtime.model.TorchScriptArchive;

/**
 * The engine's limit for a decode step: only the step's matrix products, on the same engine and
 * threads the runtime uses, nothing else. Per block: the fused QKV {@code [E, 3E]}, the attention
 * projection {@code [E, E]}, the MLP's {@code [E, 4E]} and {@code [4E, E]}, each {@code x @ W + b};
 * then the LM head {@code x @ W} over {@code [E, V]} with its logits copied to the host, as a step
 * must. The matrices are the model's own arrays ({@code Gpt2Model.stepProductOperands}), so the limit
 * streams the very memory the step streams: two copies of the same matrices, each allocated once per
 * process, streamed at rates up to 5% apart, steadily, within one process (throwaway harness: two
 * limits on arrays of their own, alternating; per-process medians of their ratio 0.95-1.02), which
 * a ratio to a limit on copies of its own would carry as a bias of that process.
 *
 * <p>Two kernels, as the runtime has ({@code CpuProducts}): BLAS through DJL's public {@code matMul}
 * (MKL's GEMM in DJL's libtorch), and oneDNN's linear through a script of the bench's own
 * ({@code StepProducts.py}, one call a step, as the runtime's forward is one call a step), since DJL
 * has no operator for it. A limit is only a limit for the kernel the runtime runs.
 */
final class EngineLimit implements AutoCloseable {

    /** The kernel a limit runs its products on. */
    enum Kernel {
        BLAS("BLAS via DJL's matMul"),
        ONEDNN("oneDNN's linear via a script");

        final String description;

        Kernel(String description) {
            this.description = description;
        }
    }

    private record Block(NDArray qkv, NDArray qkvBias, NDArray proj, NDArray projBias, NDArray fc, NDArray fcBias,
            NDArray mlpProj, NDArray mlpProjBias) {}

    private final Hparams hparams;
    private final NDManager manager;
    private final List<Block> blocks = new ArrayList<>();
    private final NDArray lmHead;
    private PtSymbolBlock script;
    private IValue scriptWeights;

    /** The limit of {@code model}'s decode step, on its own weight arrays (which it keeps owning). */
    EngineLimit(Gpt2Model model) {
        this.hparams = model.hparams();
        this.manager = Engine.getEngine("PyTorch").newBaseManager(model.device());
        List<NDArray> operands = model.stepProductOperands();
        int perBlock = 8;
        if (operands.size() != perBlock * hparams.nLayer() + 1) {
            throw new IllegalStateException("the model lists " + operands.size() + " product operands for "
                    + hparams.nLayer() + " blocks, expected " + (perBlock * hparams.nLayer() + 1));
        }
        for (int i = 0; i < hparams.nLayer(); i++) {
            List<NDArray> o = operands.subList(perBlock * i, perBlock * (i + 1));
            blocks.add(new Block(o.get(0), o.get(1), o.get(2), o.get(3), o.get(4), o.get(5), o.get(6), o.get(7)));
        }
        this.lmHead = operands.get(operands.size() - 1); // [E, V], as the runtime keeps it
    }

    /** Seconds for {@code steps} steps of {@code rows} rows on {@code kernel}. */
    double seconds(int rows, int steps, Kernel kernel) {
        long e = hparams.nEmbd();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.randomUniform(-1, 1, new Shape(rows, e));
            NDArray x4 = scratch.randomUniform(-1, 1, new Shape(rows, 4 * e));
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                try (NDManager step = scratch.newSubManager()) {
                    NDArray logits = kernel == Kernel.BLAS ? blasStep(x, x4, step) : oneDnnStep(x, x4, step);
                    if (logits.toFloatArray().length != rows * hparams.nVocab()) {
                        throw new IllegalStateException("LM head gave the wrong number of logits");
                    }
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private NDArray blasStep(NDArray x, NDArray x4, NDManager step) {
        NDArray in = x.duplicate();
        NDArray in4 = x4.duplicate();
        in.attach(step);
        in4.attach(step);
        for (Block b : blocks) {
            in.matMul(b.qkv()).addi(b.qkvBias()).attach(step);
            in.matMul(b.proj()).addi(b.projBias()).attach(step);
            in.matMul(b.fc()).addi(b.fcBias()).attach(step);
            in4.matMul(b.mlpProj()).addi(b.mlpProjBias()).attach(step);
        }
        NDArray logits = in.matMul(lmHead);
        logits.attach(step);
        return logits;
    }

    private NDArray oneDnnStep(NDArray x, NDArray x4, NDManager step) {
        if (script == null) {
            load();
        }
        try (IValue in = IValue.from((PtNDArray) x); IValue in4 = IValue.from((PtNDArray) x4);
                IValue out = IValueUtils.runMethod(script, "forward", scriptWeights, in, in4)) {
            return out.toTensor((PtNDManager) step);
        }
    }

    private void load() {
        String source;
        try (InputStream in = EngineLimit.class.getResourceAsStream("StepProducts.py")) {
            if (in == null) {
                throw new IllegalStateException("the bench jar lacks StepProducts.py");
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            script = JniUtils.loadModule((PtNDManager) manager,
                    new ByteArrayInputStream(TorchScriptArchive.of("StepProducts", source)), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the bench's StepProducts script", e);
        }
        JniUtils.enableInferenceMode(script);
        JniUtils.setGraphExecutorOptimize(false); // as the runtime runs its script (per thread; this one times it)
        // the matrices as their transposed views, [out, in], as the runtime passes them to oneDNN
        List<PtNDArray> list = new ArrayList<>();
        for (Block b : blocks) {
            for (NDArray a : List.of(transposed(b.qkv()), b.qkvBias(), transposed(b.proj()), b.projBias(),
                    transposed(b.fc()), b.fcBias(), transposed(b.mlpProj()), b.mlpProjBias())) {
                list.add((PtNDArray) a);
            }
        }
        list.add((PtNDArray) transposed(lmHead));
        scriptWeights = IValue.listFrom(list.toArray(PtNDArray[]::new));
    }

    /** {@code m}'s transposed view (no copy), freed with this limit, not with the model that owns {@code m}. */
    private NDArray transposed(NDArray m) {
        NDArray view = m.transpose();
        view.attach(manager);
        return view;
    }

    @Override
    public void close() {
        if (scriptWeights != null) {
            scriptWeights.close();
        }
        if (script != null) {
            script.close();
        }
        manager.close();
    }
}
