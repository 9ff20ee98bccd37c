package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.gpt2j.converter.mapping.Layout;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.Hparams;

/**
 * GPT-2's weights on the device, checked against the runtime layout and arranged for the forward
 * pass. Two rearrangements: each block's Q, K and V projections are stacked into one
 * {@code [3E, E]} matrix at load, so attention needs one matrix product instead of three (one pass
 * over the input, one kernel launch); and when {@code sqrt(head_dim)} is a power of two (every GPT-2
 * size: head_dim 64), Q's rows and bias are divided by it at load, so the attention scores need no
 * division per step (see {@link #queryPreScaled}). Every array belongs to the manager given to
 * {@link #load}.
 */
final class Gpt2Weights {

    /** One transformer block's parameters; matrices are {@code [out, in]}, what {@code linear} takes. */
    record Block(
            NDArray ln1Gain, NDArray ln1Bias,
            NDArray qkvWeight, NDArray qkvBias, // [3E, E], [3E]: rows are Q's, then K's, then V's
            NDArray attnProjWeight, NDArray attnProjBias, // [E, E], [E]
            NDArray ln2Gain, NDArray ln2Bias,
            NDArray fcWeight, NDArray fcBias, // [4E, E], [4E]
            NDArray mlpProjWeight, NDArray mlpProjBias) {} // [E, 4E], [E]

    final NDArray wte; // [V, E], also the LM head
    final NDArray wpe; // [C, E]
    final List<Block> blocks;
    final NDArray lnFGain;
    final NDArray lnFBias;
    /**
     * True when Q's weights and bias are stored divided by {@code sqrt(head_dim)}. Only done when that
     * divisor is a power of two: scaling every product and partial sum of {@code x @ Wq^T + bq} by a
     * power of two is exact in float, so {@code q' @ k^T} equals {@code (q @ k^T) / sqrt(head_dim)} bit
     * for bit (short of subnormals), as HuggingFace divides the scores.
     */
    final boolean queryPreScaled;

    private Gpt2Weights(NDArray wte, NDArray wpe, List<Block> blocks, NDArray lnFGain, NDArray lnFBias,
            boolean queryPreScaled) {
        this.queryPreScaled = queryPreScaled;
        this.wte = wte;
        this.wpe = wpe;
        this.blocks = List.copyOf(blocks);
        this.lnFGain = lnFGain;
        this.lnFBias = lnFBias;
    }

    /**
     * Checks that {@code source} holds every runtime-layout tensor of a GPT-2 with {@code hparams}, with
     * its exact shape, then copies them into {@code manager}'s device. Nothing is allocated unless all
     * tensors are right.
     *
     * @throws IllegalArgumentException naming each missing or wrong-shaped tensor with the expected
     *     and the actual shape
     */
    static Gpt2Weights load(WeightSource source, Hparams hparams, NDManager manager) {
        Map<String, WeightTensor> t = checked(source, hparams);
        int e = hparams.nEmbd();
        float queryScale = exactQueryScale(hparams.headDim());
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < hparams.nLayer(); i++) {
            String p = "h." + i + ".";
            blocks.add(new Block(
                    array(manager, t.get(p + "ln_1.weight")),
                    array(manager, t.get(p + "ln_1.bias")),
                    stacked(manager, new Shape(3L * e, e), queryScale, t.get(p + "attn.q_proj.weight"),
                            t.get(p + "attn.k_proj.weight"), t.get(p + "attn.v_proj.weight")),
                    stacked(manager, new Shape(3L * e), queryScale, t.get(p + "attn.q_proj.bias"),
                            t.get(p + "attn.k_proj.bias"), t.get(p + "attn.v_proj.bias")),
                    array(manager, t.get(p + "attn.c_proj.weight")),
                    array(manager, t.get(p + "attn.c_proj.bias")),
                    array(manager, t.get(p + "ln_2.weight")),
                    array(manager, t.get(p + "ln_2.bias")),
                    array(manager, t.get(p + "mlp.c_fc.weight")),
                    array(manager, t.get(p + "mlp.c_fc.bias")),
                    array(manager, t.get(p + "mlp.c_proj.weight")),
                    array(manager, t.get(p + "mlp.c_proj.bias"))));
        }
        return new Gpt2Weights(array(manager, t.get("wte")), array(manager, t.get("wpe")), blocks,
                array(manager, t.get("ln_f.weight")), array(manager, t.get("ln_f.bias")), queryScale != 1f);
    }

    /**
     * {@code 1 / sqrt(headDim)} when {@code sqrt(headDim)} is a power of two (then multiplying by it is
     * exact), else 1: the division then stays in the forward pass, where HuggingFace does it.
     */
    static float exactQueryScale(int headDim) {
        int root = (int) Math.round(Math.sqrt(headDim));
        boolean powerOfTwoRoot = root > 1 && root * root == headDim && Integer.bitCount(root) == 1;
        return powerOfTwoRoot ? 1f / root : 1f;
    }

    /** Every expected tensor by name, after checking presence and shape against the converter's table. */
    private static Map<String, WeightTensor> checked(WeightSource source, Hparams hparams) {
        Map<String, WeightTensor> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (TensorSpec spec : new WeightMapping(Layout.RUNTIME, hparams).outputs()) {
            Optional<WeightTensor> tensor = source.tensor(spec.name());
            if (tensor.isEmpty()) {
                problems.add("tensor " + spec.name() + " is missing (expected shape " + spec.shapeString() + ")");
            } else if (!Arrays.equals(tensor.get().shape(), spec.shape())) {
                problems.add("tensor " + spec.name() + " has shape " + tensor.get().shapeString()
                        + ", expected " + spec.shapeString());
            } else {
                found.put(spec.name(), tensor.get());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("weights do not fit GPT-2 " + hparams + ": " + String.join("; ", problems));
        }
        return found;
    }

    private static NDArray array(NDManager manager, WeightTensor t) {
        return manager.create(t.values().duplicate(), new Shape(t.shape()), DataType.FLOAT32);
    }

    /**
     * Concatenates tensors along their first axis into one array of {@code shape}, with one host copy;
     * the first part's values are multiplied by {@code firstScale} (Q's exact pre-scaling).
     */
    private static NDArray stacked(NDManager manager, Shape shape, float firstScale, WeightTensor... parts) {
        ByteBuffer bytes = manager.allocateDirect(Math.toIntExact(shape.size() * Float.BYTES));
        FloatBuffer floats = bytes.order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int p = 0; p < parts.length; p++) {
            FloatBuffer values = parts[p].values().duplicate();
            if (p == 0 && firstScale != 1f) {
                while (values.hasRemaining()) {
                    floats.put(values.get() * firstScale);
                }
            } else {
                floats.put(values);
            }
        }
        return manager.create(bytes, shape, DataType.FLOAT32);
    }
}
