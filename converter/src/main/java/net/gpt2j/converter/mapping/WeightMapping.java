package net.gpt2j.converter.mapping;

import net.gpt2j.format.TensorSpec;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;

/**
 * The one place that knows OpenAI's names, the runtime's names and HuggingFace's names, and how a
 * tensor changes on the way (Q/K/V split, squeezing the leading 1, transposing).
 *
 * <pre>
 * OpenAI (TF checkpoint)              shape             runtime layout                          hf layout (hub gpt2)
 * model/wte                           [V, E]            wte [V, E]                              wte.weight [V, E]
 * model/wpe                           [C, E]            wpe [C, E]                              wpe.weight [C, E]
 * model/h{i}/ln_1/g, b                [E]               h.{i}.ln_1.weight, .bias                h.{i}.ln_1.weight, .bias
 * model/h{i}/attn/c_attn/w            [1, E, 3E]        h.{i}.attn.q_proj.weight [E, E] (x3:    h.{i}.attn.c_attn.weight [E, 3E]
 *                                                         q_proj, k_proj, v_proj; [out, in])
 * model/h{i}/attn/c_attn/b            [3E]              h.{i}.attn.{q,k,v}_proj.bias [E]        h.{i}.attn.c_attn.bias [3E]
 * model/h{i}/attn/c_proj/w, b         [1, E, E], [E]    h.{i}.attn.c_proj.weight [E, E] [out,in] h.{i}.attn.c_proj.weight [E, E] [in,out]
 * model/h{i}/ln_2/g, b                [E]               h.{i}.ln_2.weight, .bias                h.{i}.ln_2.weight, .bias
 * model/h{i}/mlp/c_fc/w, b            [1, E, 4E], [4E]  h.{i}.mlp.c_fc.weight [4E, E]           h.{i}.mlp.c_fc.weight [E, 4E]
 * model/h{i}/mlp/c_proj/w, b          [1, 4E, E], [E]   h.{i}.mlp.c_proj.weight [E, 4E]         h.{i}.mlp.c_proj.weight [4E, E]
 * model/ln_f/g, b                     [E]               ln_f.weight, ln_f.bias                  ln_f.weight, ln_f.bias
 * </pre>
 *
 * The LM head is tied to {@code wte} in both layouts: no separate tensor is written.
 * Why split Q/K/V for the runtime: each projection is then a plain {@code [out, in]} matrix whose
 * rows are one head's features, so a reader can audit the split here, once, instead of inside the
 * forward pass.
 */
public final class WeightMapping {

    private static final Pattern BLOCK = Pattern.compile("model/h(\\d+)/(.+)");

    private final Layout layout;
    private final Hparams hparams;

    public WeightMapping(Layout layout, Hparams hparams) {
        this.layout = layout;
        this.hparams = hparams;
    }

    public Layout layout() {
        return layout;
    }

    /** Every OpenAI variable a GPT-2 checkpoint with these hparams must hold, with its shape. */
    public List<TensorSpec> expectedInputs() {
        long e = hparams.nEmbd();
        List<TensorSpec> in = new ArrayList<>();
        in.add(new TensorSpec("model/wte", new long[] {hparams.nVocab(), e}));
        in.add(new TensorSpec("model/wpe", new long[] {hparams.nCtx(), e}));
        for (int i = 0; i < hparams.nLayer(); i++) {
            String h = "model/h" + i + "/";
            in.add(new TensorSpec(h + "ln_1/g", new long[] {e}));
            in.add(new TensorSpec(h + "ln_1/b", new long[] {e}));
            in.add(new TensorSpec(h + "attn/c_attn/w", new long[] {1, e, 3 * e}));
            in.add(new TensorSpec(h + "attn/c_attn/b", new long[] {3 * e}));
            in.add(new TensorSpec(h + "attn/c_proj/w", new long[] {1, e, e}));
            in.add(new TensorSpec(h + "attn/c_proj/b", new long[] {e}));
            in.add(new TensorSpec(h + "ln_2/g", new long[] {e}));
            in.add(new TensorSpec(h + "ln_2/b", new long[] {e}));
            in.add(new TensorSpec(h + "mlp/c_fc/w", new long[] {1, e, 4 * e}));
            in.add(new TensorSpec(h + "mlp/c_fc/b", new long[] {4 * e}));
            in.add(new TensorSpec(h + "mlp/c_proj/w", new long[] {1, 4 * e, e}));
            in.add(new TensorSpec(h + "mlp/c_proj/b", new long[] {e}));
        }
        in.add(new TensorSpec("model/ln_f/g", new long[] {e}));
        in.add(new TensorSpec("model/ln_f/b", new long[] {e}));
        return in;
    }

    /** The output tensors one input becomes (names and shapes), without touching data. */
    public List<TensorSpec> outputsOf(TensorSpec input) {
        List<TensorSpec> out = new ArrayList<>();
        for (Cut t : cutsOf(input)) {
            out.add(t.spec());
        }
        return out;
    }

    /** Every output tensor, in the order of {@link #expectedInputs()}. */
    public List<TensorSpec> outputs() {
        List<TensorSpec> out = new ArrayList<>();
        for (TensorSpec in : expectedInputs()) {
            out.addAll(outputsOf(in));
        }
        return out;
    }

    /**
     * Maps one input tensor's values (row-major, OpenAI's shape) to its output tensors. Holds at most
     * the input's size again in memory, so a converter streaming tensor by tensor stays bounded.
     */
    public List<MappedTensor> map(TensorSpec input, FloatBuffer values) {
        if (values.remaining() != input.elementCount()) {
            throw new IllegalArgumentException("tensor " + input.name() + " " + input.shapeString() + " needs "
                    + input.elementCount() + " values, got " + values.remaining());
        }
        List<MappedTensor> out = new ArrayList<>();
        for (Cut t : cutsOf(input)) {
            out.add(new MappedTensor(t.spec(), t.extract(values)));
        }
        return out;
    }

    /**
     * Every output tensor of a synthetic (FIXTURES.md) model, mapped exactly as if read from its
     * checkpoint: for tests, benchmarks and runs that need no file. Holds the whole model in memory.
     */
    public List<MappedTensor> mapAll(SyntheticWeights weights) {
        List<MappedTensor> out = new ArrayList<>();
        for (TensorSpec spec : expectedInputs()) {
            float[] values = weights.values(new SyntheticWeights.Variable(spec.name(), spec.shape()));
            out.addAll(map(spec, FloatBuffer.wrap(values)));
        }
        return out;
    }

    /**
     * How each output of {@code input} is cut from it, in {@link #outputsOf} order: for a converter
     * that streams bytes instead of calling {@link #map}.
     */
    public List<Cut> cutsOf(TensorSpec input) {
        String name = input.name();
        long[] s = input.shape();
        boolean hf = layout == Layout.HF;
        switch (name) {
            case "model/wte":
                return List.of(copy(hf ? "wte.weight" : "wte", s));
            case "model/wpe":
                return List.of(copy(hf ? "wpe.weight" : "wpe", s));
            case "model/ln_f/g":
                return List.of(copy("ln_f.weight", s));
            case "model/ln_f/b":
                return List.of(copy("ln_f.bias", s));
            default:
                break;
        }
        Matcher m = BLOCK.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a GPT-2 model variable: " + name);
        }
        String p = "h." + m.group(1) + ".";
        String part = m.group(2);
        switch (part) {
            case "ln_1/g":
                return List.of(copy(p + "ln_1.weight", s));
            case "ln_1/b":
                return List.of(copy(p + "ln_1.bias", s));
            case "ln_2/g":
                return List.of(copy(p + "ln_2.weight", s));
            case "ln_2/b":
                return List.of(copy(p + "ln_2.bias", s));
            case "attn/c_attn/w":
                return hf ? List.of(squeezed(p + "attn.c_attn.weight", s)) : splitQkvWeight(p, s);
            case "attn/c_attn/b":
                return hf ? List.of(copy(p + "attn.c_attn.bias", s)) : splitQkvBias(p, s);
            case "attn/c_proj/w":
                return List.of(matrix(p + "attn.c_proj.weight", s, hf));
            case "attn/c_proj/b":
                return List.of(copy(p + "attn.c_proj.bias", s));
            case "mlp/c_fc/w":
                return List.of(matrix(p + "mlp.c_fc.weight", s, hf));
            case "mlp/c_fc/b":
                return List.of(copy(p + "mlp.c_fc.bias", s));
            case "mlp/c_proj/w":
                return List.of(matrix(p + "mlp.c_proj.weight", s, hf));
            case "mlp/c_proj/b":
                return List.of(copy(p + "mlp.c_proj.bias", s));
            default:
                throw new IllegalArgumentException("not a GPT-2 model variable: " + name);
        }
    }

    /** A tensor kept as it is (1-D or 2-D). */
    private static Cut copy(String name, long[] s) {
        int rows = s.length == 2 ? (int) s[0] : 1;
        int cols = (int) s[s.length - 1];
        return new Cut(new TensorSpec(name, s.clone()), rows, cols, 0, cols, false);
    }

    /** A Conv1D weight [1, in, out] with the leading 1 squeezed, kept [in, out] (HuggingFace's layout). */
    private static Cut squeezed(String name, long[] s) {
        int in = (int) s[1];
        int out = (int) s[2];
        return new Cut(new TensorSpec(name, new long[] {in, out}), in, out, 0, out, false);
    }

    /** A Conv1D weight [1, in, out]: squeezed for hf, squeezed and transposed to [out, in] for the runtime. */
    private static Cut matrix(String name, long[] s, boolean hf) {
        if (hf) {
            return squeezed(name, s);
        }
        int in = (int) s[1];
        int out = (int) s[2];
        return new Cut(new TensorSpec(name, new long[] {out, in}), in, out, 0, out, true);
    }

    /** Splits c_attn/w [1, E, 3E] along its last axis into Q, K, V, each transposed to [E(out), E(in)]. */
    private static List<Cut> splitQkvWeight(String prefix, long[] s) {
        int in = (int) s[1];
        int cols = (int) s[2];
        int e = cols / 3;
        List<Cut> out = new ArrayList<>(3);
        String[] names = {"q_proj", "k_proj", "v_proj"};
        for (int k = 0; k < 3; k++) {
            out.add(new Cut(new TensorSpec(prefix + "attn." + names[k] + ".weight", new long[] {e, in}),
                    in, cols, k * e, (k + 1) * e, true));
        }
        return out;
    }

    /** Splits c_attn/b [3E] into the Q, K and V biases, [E] each. */
    private static List<Cut> splitQkvBias(String prefix, long[] s) {
        int cols = (int) s[0];
        int e = cols / 3;
        List<Cut> out = new ArrayList<>(3);
        String[] names = {"q_proj", "k_proj", "v_proj"};
        for (int k = 0; k < 3; k++) {
            out.add(new Cut(new TensorSpec(prefix + "attn." + names[k] + ".bias", new long[] {e}),
                    1, cols, k * e, (k + 1) * e, false));
        }
        return out;
    }
}
