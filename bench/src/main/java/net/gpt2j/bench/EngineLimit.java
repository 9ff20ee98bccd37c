package net.gpt2j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;

/**
 * The engine's limit for a decode step: only the step's matrix products, through DJL's public API
 * on the same engine and threads the runtime uses, nothing else. Per block: the fused QKV
 * {@code [E, 3E]}, the attention projection {@code [E, E]}, the MLP's {@code [E, 4E]} and
 * {@code [4E, E]}, each {@code x @ W + b}; then the LM head {@code x @ W} over {@code [E, V]} with its
 * logits copied to the host, as a step must. Matrices are float32 in the runtime's layouts (the
 * blocks' {@code [in, out]} as HF's Conv1D keeps them, the head {@code [E, V]}, the transpose of HF's
 * {@code nn.Linear} weight, as the runtime stores it), on arrays of this class's own (random values:
 * the time of a product does not depend on them), so only public API is used.
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
            blocks.add(new Block(matrix(e, 3 * e), vector(3 * e), matrix(e, e), vector(e), matrix(e, 4 * e),
                    vector(4 * e), matrix(4 * e, e), vector(e)));
        }
        this.lmHead = matrix(e, hparams.nVocab()); // [E, V], contiguous, as the runtime keeps it
    }

    private NDArray matrix(long rows, long cols) {
        return manager.randomUniform(-0.1f, 0.1f, new Shape(rows, cols));
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
                        in.matMul(b.qkv()).addi(b.qkvBias()).attach(step);
                        in.matMul(b.proj()).addi(b.projBias()).attach(step);
                        in.matMul(b.fc()).addi(b.fcBias()).attach(step);
                        in4.matMul(b.mlpProj()).addi(b.mlpProjBias()).attach(step);
                    }
                    NDArray logits = in.matMul(lmHead);
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
