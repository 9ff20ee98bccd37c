package net.gpt2j.converter.mapping;

import net.gpt2j.format.TensorSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.gpt2j.format.Hparams;
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
        assertThat(describe(new WeightMapping(Layout.RUNTIME, TINY).expectedInputs()).split("\n"))
                .containsExactlyElementsOf(recipe);
    }

    /**
     * HuggingFace GPT2LMHeadModel.state_dict() (modeling_gpt2.py: GPT2Model has wte, wpe, h[i] =
     * GPT2Block(ln_1, attn=GPT2Attention(c_attn, c_proj), ln_2, mlp=GPT2MLP(c_fc, c_proj)), ln_f;
     * Conv1D stores weight [nx=in, nf=out]; attn.bias/masked_bias are non-persistent buffers;
     * lm_head.weight is tied to wte and not saved), with "transformer." stripped, in state_dict order.
     */
    @Test
    void hfLayoutNamesAndShapesMatchGpt2LMHeadModelStateDict() {
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
        assertThat(describe(new WeightMapping(Layout.HF, TINY).outputs()).split("\n")).containsExactlyElementsOf(expected);
    }

    @Test
    void runtimeLayoutSplitsQkvAndStoresMatricesOutByIn() {
        List<String> expected = new ArrayList<>(lines("wte", s(50257, E), "wpe", s(64, E)));
        for (int i = 0; i < 2; i++) {
            String h = "h." + i + ".";
            expected.addAll(lines(
                    h + "ln_1.weight", s(E), h + "ln_1.bias", s(E),
                    h + "attn.q_proj.weight", s(E, E), h + "attn.k_proj.weight", s(E, E), h + "attn.v_proj.weight", s(E, E),
                    h + "attn.q_proj.bias", s(E), h + "attn.k_proj.bias", s(E), h + "attn.v_proj.bias", s(E),
                    h + "attn.c_proj.weight", s(E, E), h + "attn.c_proj.bias", s(E),
                    h + "ln_2.weight", s(E), h + "ln_2.bias", s(E),
                    h + "mlp.c_fc.weight", s(4 * E, E), h + "mlp.c_fc.bias", s(4 * E),
                    h + "mlp.c_proj.weight", s(E, 4 * E), h + "mlp.c_proj.bias", s(E)));
        }
        expected.addAll(lines("ln_f.weight", s(E), "ln_f.bias", s(E)));
        assertThat(describe(new WeightMapping(Layout.RUNTIME, TINY).outputs()).split("\n")).containsExactlyElementsOf(expected);
    }

    private static Map<String, float[]> mapVariable(Layout layout, String name) {
        WeightMapping mapping = new WeightMapping(layout, TINY);
        TensorSpec in = mapping.expectedInputs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        float[] values = WEIGHTS.values(new SyntheticWeights.Variable(name, in.shape()));
        List<MappedTensor> out = mapping.map(in, FloatBuffer.wrap(values));
        assertThat(out).extracting(MappedTensor::spec).extracting(TensorSpec::name)
                .containsExactlyElementsOf(mapping.outputsOf(in).stream().map(TensorSpec::name).toList());
        return out.stream().collect(Collectors.toMap(MappedTensor::name, MappedTensor::data));
    }

    @Test
    void qkvWeightsAreTheColumnThirdsOfCAttnTransposed() {
        String w = "model/h1/attn/c_attn/w"; // [1, E, 3E]: element (in, col) is index in * 3E + col
        Map<String, float[]> out = mapVariable(Layout.RUNTIME, w);
        float[] q = out.get("h.1.attn.q_proj.weight");
        float[] k = out.get("h.1.attn.k_proj.weight");
        float[] v = out.get("h.1.attn.v_proj.weight");
        // a few elements spelled out: q[out=2][in=5] = c_attn[5][2], k[2][5] = c_attn[5][E + 2], v[2][5] = c_attn[5][2E + 2]
        assertThat(q[2 * E + 5]).isEqualTo(WEIGHTS.value(w, 5L * 3 * E + 2));
        assertThat(k[2 * E + 5]).isEqualTo(WEIGHTS.value(w, 5L * 3 * E + E + 2));
        assertThat(v[2 * E + 5]).isEqualTo(WEIGHTS.value(w, 5L * 3 * E + 2 * E + 2));
        assertThat(v[(E - 1) * E]).isEqualTo(WEIGHTS.value(w, 3L * E - 1)); // v[last out][in 0] = c_attn[0][3E - 1]
        for (int o = 0; o < E; o++) {
            for (int i = 0; i < E; i++) {
                assertThat(Float.floatToRawIntBits(q[o * E + i])).isEqualTo(Float.floatToRawIntBits(WEIGHTS.value(w, (long) i * 3 * E + o)));
                assertThat(Float.floatToRawIntBits(k[o * E + i])).isEqualTo(Float.floatToRawIntBits(WEIGHTS.value(w, (long) i * 3 * E + E + o)));
                assertThat(Float.floatToRawIntBits(v[o * E + i])).isEqualTo(Float.floatToRawIntBits(WEIGHTS.value(w, (long) i * 3 * E + 2 * E + o)));
            }
        }
    }

    @Test
    void qkvBiasesAreTheThirdsOfCAttnBias() {
        String b = "model/h0/attn/c_attn/b";
        Map<String, float[]> out = mapVariable(Layout.RUNTIME, b);
        for (int j = 0; j < E; j++) {
            assertThat(out.get("h.0.attn.q_proj.bias")[j]).isEqualTo(WEIGHTS.value(b, j));
            assertThat(out.get("h.0.attn.k_proj.bias")[j]).isEqualTo(WEIGHTS.value(b, E + j));
            assertThat(out.get("h.0.attn.v_proj.bias")[j]).isEqualTo(WEIGHTS.value(b, 2 * E + j));
        }
    }

    @Test
    void runtimeMatricesAreTransposedConv1dWeights() {
        checkTransposed("model/h0/attn/c_proj/w", "h.0.attn.c_proj.weight", E, E);
        checkTransposed("model/h1/mlp/c_fc/w", "h.1.mlp.c_fc.weight", E, 4 * E);
        checkTransposed("model/h1/mlp/c_proj/w", "h.1.mlp.c_proj.weight", 4 * E, E);
    }

    private static void checkTransposed(String input, String output, int in, int out) {
        float[] t = mapVariable(Layout.RUNTIME, input).get(output);
        assertThat(t).hasSize(in * out);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                assertThat(t[o * in + i]).as("%s[%d][%d]", output, o, i).isEqualTo(WEIGHTS.value(input, (long) i * out + o));
            }
        }
    }

    @Test
    void hfMatricesAreTheSqueezedConv1dWeightsUnchanged() {
        for (String[] pair : new String[][] {
                {"model/h0/attn/c_attn/w", "h.0.attn.c_attn.weight"}, {"model/h0/attn/c_proj/w", "h.0.attn.c_proj.weight"},
                {"model/h1/mlp/c_fc/w", "h.1.mlp.c_fc.weight"}, {"model/h1/mlp/c_proj/w", "h.1.mlp.c_proj.weight"},
                {"model/h1/attn/c_attn/b", "h.1.attn.c_attn.bias"}, {"model/ln_f/g", "ln_f.weight"}}) {
            float[] t = mapVariable(Layout.HF, pair[0]).get(pair[1]);
            for (int j = 0; j < t.length; j++) {
                assertThat(t[j]).as("%s[%d]", pair[1], j).isEqualTo(WEIGHTS.value(pair[0], j));
            }
        }
    }

    @Test
    void embeddingsAndNormsAreCopiedInBothLayouts() {
        Function<Layout, float[]> wpe = l -> mapVariable(l, "model/wpe").get(l == Layout.HF ? "wpe.weight" : "wpe");
        for (Layout l : Layout.values()) {
            float[] t = wpe.apply(l);
            assertThat(t).hasSize(64 * E);
            for (int j = 0; j < t.length; j += 97) {
                assertThat(t[j]).isEqualTo(WEIGHTS.value("model/wpe", j));
            }
            float[] g = mapVariable(l, "model/h1/ln_2/g").get("h.1.ln_2.weight");
            float[] b = mapVariable(l, "model/h1/ln_2/b").get("h.1.ln_2.bias");
            for (int j = 0; j < E; j++) {
                assertThat(g[j]).isEqualTo(WEIGHTS.value("model/h1/ln_2/g", j));
                assertThat(b[j]).isEqualTo(WEIGHTS.value("model/h1/ln_2/b", j));
            }
        }
    }

    @Test
    void mapRefusesAWrongNumberOfValuesNamingTheTensor() {
        WeightMapping mapping = new WeightMapping(Layout.RUNTIME, TINY);
        TensorSpec in = new TensorSpec("model/h0/ln_1/g", new long[] {E});
        assertThatThrownBy(() -> mapping.map(in, FloatBuffer.allocate(E - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model/h0/ln_1/g");
    }

    @Test
    void nonModelVariablesAreNotMapped() {
        WeightMapping mapping = new WeightMapping(Layout.RUNTIME, TINY);
        assertThatThrownBy(() -> mapping.outputsOf(new TensorSpec("model/h0/attn/c_attn/w/Adam", new long[] {1, E, 3 * E})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model/h0/attn/c_attn/w/Adam");
        assertThatThrownBy(() -> mapping.outputsOf(new TensorSpec("global_step", new long[] {})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("global_step");
    }
}
