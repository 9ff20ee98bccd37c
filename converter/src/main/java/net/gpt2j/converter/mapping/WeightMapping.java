package net.gpt2j.converter.mapping;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.OpenAiNames;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.golden.SyntheticWeights;

/**
 * How an OpenAI checkpoint becomes the hub's GPT-2 tensors: the rows of {@link OpenAiNames}' table.
 * Every hub tensor is its OpenAI variable's bytes unchanged (a Conv1D weight's leading 1 dropped
 * from the shape: both store it {@code [in, out]}), so the converter copies bytes and transposes
 * nothing.
 *
 * <p>Where Q, K and V are: OpenAI's {@code attn/c_attn/w [1, E, 3E]} and so the hub's
 * {@code h.{i}.attn.c_attn.weight [E, 3E]} hold the three projections side by side along the last
 * (output) axis: Q in columns {@code [0, E)}, K in {@code [E, 2E)}, V in {@code [2E, 3E)}; the bias
 * {@code [3E]} likewise. Within each, head {@code h} owns columns {@code [h * E/H, (h+1) * E/H)}.
 * HuggingFace's {@code GPT2Attention} splits {@code c_attn}'s output the same way
 * ({@code split(split_size, dim=2)}); the runtime's loader transposes {@code c_attn} to
 * {@code [3E, E]}, whose rows are then Q's, K's and V's in that order.
 *
 * <p>The LM head is tied to {@code wte.weight}: no separate tensor is written.
 */
public final class WeightMapping {

    private final Hparams hparams;
    private Map<String, TensorSpec> hubByOpenAi;

    /**
     * Expands nothing yet: the table is built on first use, so that hparams claiming absurd sizes are
     * refused (by the index checks that run first) before a billion names are listed.
     */
    public WeightMapping(Hparams hparams) {
        this.hparams = hparams;
    }

    private synchronized Map<String, TensorSpec> hubByOpenAi() {
        if (hubByOpenAi == null) {
            Map<String, TensorSpec> table = new LinkedHashMap<>();
            for (OpenAiNames.Row r : OpenAiNames.table(hparams)) {
                table.put(r.openAi().name(), r.hub());
            }
            hubByOpenAi = table;
        }
        return hubByOpenAi;
    }

    public Hparams hparams() {
        return hparams;
    }

    /** Every OpenAI variable a GPT-2 checkpoint with these hparams must hold, with its shape. */
    public List<TensorSpec> expectedInputs() {
        return OpenAiNames.variables(hparams);
    }

    /** The output tensors one input becomes (names and shapes), without touching data. */
    public List<TensorSpec> outputsOf(TensorSpec input) {
        return List.of(hubOf(input));
    }

    /** Every output tensor, in the order of {@link #expectedInputs()}. */
    public List<TensorSpec> outputs() {
        return new ArrayList<>(hubByOpenAi().values());
    }

    /** Maps one input tensor's values (row-major, OpenAI's shape) to its output tensor. */
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

    /** How each output of {@code input} is cut from it: the whole tensor, as one run of its bytes. */
    public List<Cut> cutsOf(TensorSpec input) {
        TensorSpec hub = hubOf(input);
        int n = Math.toIntExact(input.elementCount());
        return List.of(new Cut(hub, 1, n, 0, n, false));
    }

    private TensorSpec hubOf(TensorSpec input) {
        TensorSpec hub = hubByOpenAi().get(input.name());
        if (hub == null) {
            throw new IllegalArgumentException("not a GPT-2 model variable: " + input.name());
        }
        return hub;
    }
}
