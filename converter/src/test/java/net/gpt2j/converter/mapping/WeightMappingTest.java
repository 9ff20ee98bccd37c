package net.gpt2j.converter.mapping;

import net.gpt2j.format.TensorSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.golden.SyntheticWeights;
import org.junit.jupiter.api.Test;

class WeightMappingTest {

    /** The "tiny" fixture of fixtures.json. */
    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);
    static final int E = 64;
    static final SyntheticWeights WEIGHTS = new SyntheticWeights(1, TINY);

    private static String describe(List<TensorSpec> specs) {
        return specs.stream().map(s -> s.name() + " " + Arrays.toString(s.shape())).collect(Collectors.joining("\n"));
    }

    private static List<String> lines(Object... nameShape) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nameShape.length; i += 2) {
            out.add(nameShape[i] + " " + Arrays.toString((long[]) nameShape[i + 1]));
        }
        return out;
    }

    private static long[] s(long... dims) {
        return dims;
    }

    @Test
    void expectedInputsAreExactlyTheSyntheticRecipesVariables() {
        List<String> recipe = WEIGHTS.variables().stream().map(v -> v.name() + " " + Arrays.toString(v.shape())).toList();
        assertThat(describe(new WeightMapping(TINY).expectedInputs()).split("\n"))
                .containsExactlyElementsOf(recipe);
    }

    /**
     * HuggingFace GPT2LMHeadModel.state_dict() (modeling_gpt2.py: GPT2Model has wte, wpe, h[i] =
     * GPT2Block(ln_1, attn=GPT2Attention(c_attn, c_proj), ln_2, mlp=GPT2MLP(c_fc, c_proj)), ln_f;
     * Conv1D stores weight [nx=in, nf=out]; attn.bias/masked_bias are non-persistent buffers;
     * lm_head.weight is tied to wte and not saved), with "transformer." stripped, in state_dict order.
     */
    @Test
    void namesAndShapesMatchGpt2LMHeadModelStateDict() {
        List<String> expected = new ArrayList<>(lines("wte.weight", s(50257, E), "wpe.weight", s(64, E)));
        for (int i = 0; i < 2; i++) {
            String h = "h." + i + ".";
            expected.addAll(lines(
                    h + "ln_1.weight", s(E), h + "ln_1.bias", s(E),
                    h + "attn.c_attn.weight", s(E, 3 * E), h + "attn.c_attn.bias", s(3 * E),
                    h + "attn.c_proj.weight", s(E, E), h + "attn.c_proj.bias", s(E),
                    h + "ln_2.weight", s(E), h + "ln_2.bias", s(E),
                    h + "mlp.c_fc.weight", s(E, 4 * E), h + "mlp.c_fc.bias", s(4 * E),
                    h + "mlp.c_proj.weight", s(4 * E, E), h + "mlp.c_proj.bias", s(E)));
        }
        expected.addAll(lines("ln_f.weight", s(E), "ln_f.bias", s(E)));
        assertThat(describe(new WeightMapping(TINY).outputs()).split("\n")).containsExactlyElementsOf(expected);
    }

    private static Map<String, float[]> mapVariable(String name) {
        WeightMapping mapping = new WeightMapping(TINY);
        TensorSpec in = mapping.expectedInputs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        float[] values = WEIGHTS.values(new SyntheticWeights.Variable(name, in.shape()));
        List<MappedTensor> out = mapping.map(in, FloatBuffer.wrap(values));
        assertThat(out).extracting(MappedTensor::spec).extracting(TensorSpec::name)
                .containsExactlyElementsOf(mapping.outputsOf(in).stream().map(TensorSpec::name).toList());
        return out.stream().collect(Collectors.toMap(MappedTensor::name, MappedTensor::data));
    }

    /** Q, K and V of head h are c_attn's columns h*D.., E + h*D.., 2E + h*D..: the element (in, col) is in * 3E + col. */
    @Test
    void cAttnKeepsQkvSideBySideAlongTheOutputAxis() {
        String w = "model/h1/attn/c_attn/w";
        float[] c = mapVariable(w).get("h.1.attn.c_attn.weight");
        // q[out=2] from input 5 is column 2 of row 5; k's is column E + 2; v's is column 2E + 2
        assertThat(c[5 * 3 * E + 2]).isEqualTo(WEIGHTS.value(w, 5L * 3 * E + 2));
        assertThat(c[5 * 3 * E + E + 2]).isEqualTo(WEIGHTS.value(w, 5L * 3 * E + E + 2));
        assertThat(c[5 * 3 * E + 2 * E + 2]).isEqualTo(WEIGHTS.value(w, 5L * 3 * E + 2 * E + 2));
    }

    @Test
    void everyHubTensorIsItsOpenAiVariableUnchanged() {
        for (String[] pair : new String[][] {
                {"model/h0/attn/c_attn/w", "h.0.attn.c_attn.weight"}, {"model/h0/attn/c_proj/w", "h.0.attn.c_proj.weight"},
                {"model/h1/mlp/c_fc/w", "h.1.mlp.c_fc.weight"}, {"model/h1/mlp/c_proj/w", "h.1.mlp.c_proj.weight"},
                {"model/h1/attn/c_attn/b", "h.1.attn.c_attn.bias"}, {"model/ln_f/g", "ln_f.weight"},
                {"model/wpe", "wpe.weight"}, {"model/h1/ln_2/b", "h.1.ln_2.bias"}}) {
            float[] t = mapVariable(pair[0]).get(pair[1]);
            for (int j = 0; j < t.length; j++) {
                assertThat(t[j]).as("%s[%d]", pair[1], j).isEqualTo(WEIGHTS.value(pair[0], j));
            }
        }
    }

    @Test
    void mapRefusesAWrongNumberOfValuesNamingTheTensor() {
        WeightMapping mapping = new WeightMapping(TINY);
        TensorSpec in = new TensorSpec("model/h0/ln_1/g", new long[] {E});
        assertThatThrownBy(() -> mapping.map(in, FloatBuffer.allocate(E - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model/h0/ln_1/g");
    }

    @Test
    void nonModelVariablesAreNotMapped() {
        WeightMapping mapping = new WeightMapping(TINY);
        assertThatThrownBy(() -> mapping.outputsOf(new TensorSpec("model/h0/attn/c_attn/w/Adam", new long[] {1, E, 3 * E})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model/h0/attn/c_attn/w/Adam");
        assertThatThrownBy(() -> mapping.outputsOf(new TensorSpec("global_step", new long[] {})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("global_step");
    }
}
