package net.gpt2j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;

/**
 * The engine's limit for a decode step: only the step's matrix products, through DJL's public API
 * on the same engine and threads the runtime uses, nothing else. Per block: the fused QKV
 * {@code [3E, E]}, the attention projection {@code [E, E]}, the MLP's {@code [4E, E]} and
 * {@code [E, 4E]}; then the LM head {@code [V, E]} with its logits copied to the host, as a step
 * must. Matrices are {@code [out, in]} float32, the runtime's layout, on arrays of this class's
 * own (random values: the time of a product does not depend on them), so only public API is used.
 */
final class EngineLimit implements AutoCloseable {

    private record Block(NDArray qkv, NDArray qkvBias, NDArray proj, NDArray projBias, NDArray fc, NDArray fcBias,
            NDArray mlpProj, NDArray mlpProjBias) {}

    private final Hparams hparams;
    private final NDManager manager;
    private final List<Block> blocks = new ArrayList<>();
    private final NDArray lmHead;

    EngineLimit(Hparams hparams) {
        this.hparams = hparams;
        this.manager = Engine.getEngine("PyTorch").newBaseManager();
        long e = hparams.nEmbd();
        for (int i = 0; i < hparams.nLayer(); i++) {
            blocks.add(new Block(matrix(3 * e, e), vector(3 * e), matrix(e, e), vector(e), matrix(4 * e, e),
                    vector(4 * e), matrix(e, 4 * e), vector(e)));
        }
        this.lmHead = matrix(hparams.nVocab(), e);
    }

    private NDArray matrix(long out, long in) {
        return manager.randomUniform(-0.1f, 0.1f, new Shape(out, in));
    }

    private NDArray vector(long n) {
        return manager.randomUniform(-0.1f, 0.1f, new Shape(n));
    }

    /** Seconds for {@code steps} steps of {@code rows} rows. */
    double seconds(int rows, int steps) {
        long e = hparams.nEmbd();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.randomUniform(-1, 1, new Shape(rows, e));
            NDArray x4 = scratch.randomUniform(-1, 1, new Shape(rows, 4 * e));
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                try (NDManager step = scratch.newSubManager()) {
                    NDArray in = x.duplicate();
                    NDArray in4 = x4.duplicate();
                    in.attach(step);
                    in4.attach(step);
                    for (Block b : blocks) {
                        Linear.linear(in, b.qkv(), b.qkvBias()).attach(step);
                        Linear.linear(in, b.proj(), b.projBias()).attach(step);
                        Linear.linear(in, b.fc(), b.fcBias()).attach(step);
                        Linear.linear(in4, b.mlpProj(), b.mlpProjBias()).attach(step);
                    }
                    NDArray logits = Linear.linear(in, lmHead, null).singletonOrThrow();
                    logits.attach(step);
                    if (logits.toFloatArray().length != rows * hparams.nVocab()) {
                        throw new IllegalStateException("LM head gave the wrong number of logits");
                    }
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
