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
import java.util.function.Consumer;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubNames;
import net.gpt2j.format.Problems;
import net.gpt2j.format.TensorSpec;

/**
 * GPT-2's weights on the device, read in the hub's names and shapes ({@code HubNames}) and kept in
 * the hub's layout: Conv1D weights {@code [in, out]}, what {@code addmm(bias, x, W)} takes, the very
 * call HuggingFace's {@code Conv1D} makes, so each product runs the same kernel on the same layout
 * as HF's (and a newer libtorch streams this layout faster than {@code [out, in]}: README,
 * "Benchmarks"). {@code c_attn} holds Q, K and V side by side (output columns {@code [0, E)},
 * {@code [E, 2E)}, {@code [2E, 3E)}): attention needs one matrix product instead of three. And when
 * {@code sqrt(head_dim)} is a power of two (every GPT-2 size: head_dim 64), Q's columns and bias are
 * divided by it at load, so the attention scores need no division per step (see
 * {@link #queryPreScaled}). Every array belongs to the manager given to {@link #load}.
 */
final class Gpt2Weights {

    /** One transformer block's parameters; matrices are {@code [in, out]}, what {@code addmm} takes. */
    record Block(
            NDArray ln1Gain, NDArray ln1Bias,
            NDArray qkvWeight, NDArray qkvBias, // [E, 3E], [3E]: columns are Q's, then K's, then V's
            NDArray attnProjWeight, NDArray attnProjBias, // [E, E], [E]
            NDArray ln2Gain, NDArray ln2Bias,
            NDArray fcWeight, NDArray fcBias, // [E, 4E], [4E]
            NDArray mlpProjWeight, NDArray mlpProjBias) {} // [4E, E], [E]

    /**
     * {@code wte} transposed, {@code [E, V]}: token t's embedding is column t. Stored so because the
     * LM head, the step's largest product, streams {@code x @ W} over {@code [E, V]} faster than
     * {@code x @ W^T} over the hub's {@code [V, E]} (the layout {@code nn.Linear} keeps; docs/DECISIONS.md,
     * "The LM head is stored [E, V]"), and the embedding lookup reads a column as easily as a row.
     * Under oneDNN too: its linear ran the head over this layout's transposed view faster than over
     * a contiguous {@code [V, E]} (docs/DECISIONS.md, "A model's weights are its file's pages").
     */
    final NDArray tokenColumns;
    /** {@code [E, V]}: {@link #tokenColumns} itself when the head is tied (every OpenAI model), else lm_head.weight transposed. */
    final NDArray headColumns;
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

    private Gpt2Weights(NDArray tokenColumns, NDArray headColumns, NDArray wpe, List<Block> blocks, NDArray lnFGain,
            NDArray lnFBias, boolean queryPreScaled) {
        this.queryPreScaled = queryPreScaled;
        this.tokenColumns = tokenColumns;
        this.headColumns = headColumns;
        this.wpe = wpe;
        this.blocks = List.copyOf(blocks);
        this.lnFGain = lnFGain;
        this.lnFBias = lnFBias;
    }

    /**
     * Checks that {@code source} holds every hub tensor of a GPT-2 with {@code hparams}, with its
     * exact shape and only finite values, then puts them on {@code manager}'s device (on the CPU in
     * their file's pages where {@code memory} allows, else copied). The MLP's
     * width is read from {@code h.0.mlp.c_fc.bias} (4E for OpenAI's models, {@code n_inner} for
     * others) and every block must agree. An {@code lm_head.weight} in the source is an untied head
     * and is used as the head; without it the head is {@code wte}. Nothing is allocated unless all
     * tensors are right.
     *
     * @throws IllegalArgumentException naming each missing, wrong-shaped or non-finite tensor
     */
    static Gpt2Weights load(WeightSource source, Hparams hparams, NDManager manager, WeightMemory memory) {
        long inner = source.tensor(HubNames.block(0) + "mlp.c_fc.bias").map(t -> t.shape()[0]).orElse(4L * hparams.nEmbd());
        Map<String, WeightTensor> t = checked(source, hparams, inner, LoadWorkers.onTheHost()); // the file's pages, on any device
        int e = hparams.nEmbd();
        float queryScale = exactQueryScale(hparams.headDim());
        boolean untiedHead = t.containsKey(HubNames.LM_HEAD);
        NDArray[] columns = new NDArray[2]; // wte's, then the head's when it is untied
        Block[] blocks = new Block[hparams.nLayer()];
        NDArray[] rest = new NDArray[3]; // wpe, ln_f's gain and bias
        // the transposes first, the largest parts: the blocks fill in around them
        List<Runnable> parts = new ArrayList<>();
        parts.add(() -> columns[0] = transposed(manager, memory, t.get(HubNames.WTE)));
        if (untiedHead) {
            parts.add(() -> columns[1] = transposed(manager, memory, t.get(HubNames.LM_HEAD)));
        }
        for (int i = 0; i < blocks.length; i++) {
            int layer = i;
            parts.add(() -> blocks[layer] = block(t, HubNames.block(layer), manager, memory, e, queryScale));
        }
        parts.add(() -> rest[0] = array(manager, memory, t.get(HubNames.WPE)));
        parts.add(() -> rest[1] = array(manager, memory, t.get(HubNames.LN_F_WEIGHT)));
        parts.add(() -> rest[2] = array(manager, memory, t.get(HubNames.LN_F_BIAS)));
        LoadWorkers.forDevice(manager.getDevice()).run("weights", parts); // after a failure the arrays made so far are the manager's, which the caller closes
        return new Gpt2Weights(columns[0], untiedHead ? columns[1] : columns[0], rest[0], List.of(blocks), rest[1], rest[2],
                queryScale != 1f);
    }

    /** Block {@code prefix}'s ({@code h.N.}) parameters on the device, Q's columns scaled by {@code queryScale}. */
    private static Block block(Map<String, WeightTensor> t, String prefix, NDManager manager, WeightMemory memory, int e,
            float queryScale) {
        return new Block(
                array(manager, memory, t.get(prefix + "ln_1.weight")),
                array(manager, memory, t.get(prefix + "ln_1.bias")),
                scaledColumns(manager, memory, t.get(prefix + "attn.c_attn.weight"), e, queryScale),
                scaledColumns(manager, memory, t.get(prefix + "attn.c_attn.bias"), e, queryScale),
                array(manager, memory, t.get(prefix + "attn.c_proj.weight")),
                array(manager, memory, t.get(prefix + "attn.c_proj.bias")),
                array(manager, memory, t.get(prefix + "ln_2.weight")),
                array(manager, memory, t.get(prefix + "ln_2.bias")),
                array(manager, memory, t.get(prefix + "mlp.c_fc.weight")),
                array(manager, memory, t.get(prefix + "mlp.c_fc.bias")),
                array(manager, memory, t.get(prefix + "mlp.c_proj.weight")),
                array(manager, memory, t.get(prefix + "mlp.c_proj.bias")));
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

    /**
     * Every expected tensor by name, after checking presence, shape and finiteness against the hub's
     * table. The finiteness scans, a pass over every weight, are shared by {@code workers}; the
     * problems are listed in the table's order whichever thread found them.
     */
    private static Map<String, WeightTensor> checked(WeightSource source, Hparams hparams, long inner, LoadWorkers workers) {
        List<TensorSpec> expected = new ArrayList<>(HubNames.expected(hparams, inner));
        Optional<WeightTensor> head = source.tensor(HubNames.LM_HEAD);
        if (head.isPresent()) {
            expected.add(new TensorSpec(HubNames.LM_HEAD, new long[] {hparams.nVocab(), hparams.nEmbd()}));
        }
        int n = expected.size();
        WeightTensor[] tensors = new WeightTensor[n];
        String[] problems = new String[n];
        List<Runnable> scans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TensorSpec spec = expected.get(i);
            Optional<WeightTensor> tensor = spec.name().equals(HubNames.LM_HEAD) ? head : source.tensor(spec.name());
            if (tensor.isEmpty()) {
                problems[i] = "tensor " + spec.name() + " is missing (expected shape " + spec.shapeString() + ")";
            } else if (!Arrays.equals(tensor.get().shape(), spec.shape())) {
                problems[i] = "tensor " + spec.name() + " has shape " + tensor.get().shapeString() + ", expected "
                        + spec.shapeString();
            } else {
                int at = i;
                WeightTensor found = tensor.get();
                tensors[i] = found;
                scans.add(() -> {
                    long bad = firstNonFinite(found.values());
                    if (bad >= 0) {
                        problems[at] = "tensor " + spec.name() + " holds a non-finite value ("
                                + found.values().get(found.values().position() + (int) bad) + ") at element " + bad;
                    }
                });
            }
        }
        workers.run("checks", scans);
        List<String> listed = new ArrayList<>();
        Map<String, WeightTensor> found = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (problems[i] != null) {
                listed.add(problems[i]);
            } else {
                found.put(expected.get(i).name(), tensors[i]);
            }
        }
        if (!listed.isEmpty()) {
            throw new IllegalArgumentException("weights do not fit GPT-2 " + hparams + ": " + Problems.join(listed, "; "));
        }
        return found;
    }

    /**
     * The index of the first NaN or infinity among the buffer's remaining values, or -1. Reads in bulk
     * chunks onto the heap: one value at a time from a mapped file's buffer pays a bounds and order
     * check per float, and this scan covers every weight at every load.
     */
    static long firstNonFinite(FloatBuffer values) {
        FloatBuffer view = values.duplicate();
        float[] chunk = new float[Math.min(view.remaining(), 1 << 16)];
        long done = 0;
        while (view.hasRemaining()) {
            int n = Math.min(chunk.length, view.remaining());
            view.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                // all exponent bits set: infinity or NaN
                if ((Float.floatToRawIntBits(chunk[i]) & 0x7F800000) == 0x7F800000) {
                    return done + i;
                }
            }
            done += n;
        }
        return -1;
    }

    /** {@code t} as it is: in its file's pages when {@code memory} allows, else copied. */
    private static NDArray array(NDManager manager, WeightMemory memory, WeightTensor t) {
        NDArray inPlace = memory.inPlace(manager, t);
        if (inPlace != null) {
            return inPlace;
        }
        return filled(manager, memory, t.shape(), target -> target.put(t.values().duplicate()));
    }

    /**
     * A new float32 engine array of {@code shape} whose values {@code fill} puts, row-major, into the
     * buffer it is given. On the CPU that buffer is the array's own memory, allocated by libtorch: one
     * copy, where DJL's {@code create(buffer)} zeroes a fresh Java direct buffer and copies into it
     * (with libtorch's {@code THP_MEM_ALLOC_ENABLE=1}, an opt-in, on huge pages: a 154 MB matrix after
     * a few hundred page faults instead of about 38,000; README, "Bit rot is refused at load"). On a
     * GPU, a host buffer copied to the device.
     */
    private static NDArray filled(NDManager manager, WeightMemory memory, long[] shape, Consumer<FloatBuffer> fill) {
        Shape s = new Shape(shape);
        memory.copied(s.size() * Float.BYTES);
        if (!manager.getDevice().isGpu()) {
            NDArray array = manager.create(s, DataType.FLOAT32);
            fill.accept(array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer()); // a view on the CPU
            return array;
        }
        ByteBuffer bytes = manager.allocateDirect(Math.toIntExact(Math.multiplyExact(s.size(), (long) Float.BYTES)));
        fill.accept(bytes.order(ByteOrder.nativeOrder()).asFloatBuffer());
        return manager.create(bytes, s, DataType.FLOAT32);
    }

    /**
     * A {@code [rows, cols]} matrix as {@code [cols, rows]}, contiguous: read in blocks of rows, written
     * a block's slice of each column at a time, so neither side is walked with a stride of a whole row.
     */
    static NDArray transposed(NDManager manager, WeightMemory memory, WeightTensor t) {
        int rows = Math.toIntExact(t.shape()[0]);
        int cols = Math.toIntExact(t.shape()[1]);
        return filled(manager, memory, new long[] {cols, rows}, target -> {
            FloatBuffer source = t.values().duplicate();
            int block = 64;
            float[][] chunk = new float[block][cols];
            float[] slice = new float[block];
            for (int r0 = 0; r0 < rows; r0 += block) {
                int n = Math.min(block, rows - r0);
                for (int i = 0; i < n; i++) {
                    source.get(chunk[i]);
                }
                for (int c = 0; c < cols; c++) {
                    for (int i = 0; i < n; i++) {
                        slice[i] = chunk[i][c];
                    }
                    target.put(c * rows + r0, slice, 0, n);
                }
            }
        });
    }

    /**
     * A hub Conv1D weight {@code [in, out]} (or its bias {@code [out]}, one row) as it is, with output
     * columns {@code [0, scaled)} of every row multiplied by {@code scale} (Q's exact pre-scaling; 1
     * leaves it as it is).
     */
    private static NDArray scaledColumns(NDManager manager, WeightMemory memory, WeightTensor t, int scaled, float scale) {
        if (scale == 1f) {
            return array(manager, memory, t);
        }
        int out = Math.toIntExact(t.shape()[t.shape().length - 1]); // a vector is one row
        return filled(manager, memory, t.shape(), target -> {
            FloatBuffer values = t.values().duplicate();
            float[] row = new float[out];
            while (values.hasRemaining()) {
                values.get(row);
                for (int c = 0; c < scaled; c++) {
                    row[c] *= scale;
                }
                target.put(row);
            }
        });
    }
}
