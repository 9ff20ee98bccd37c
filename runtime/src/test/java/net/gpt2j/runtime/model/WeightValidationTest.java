package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.format.Hparams;
import org.junit.jupiter.api.Test;

/** Weights that do not fit the hparams, and settings that cannot be honoured, are refused with the reason. */
class WeightValidationTest {

    private static final Hparams SMALL = new Hparams(50, 8, 8, 2, 2);

    @Test
    void completeWeightsLoadOnTheCpu() {
        try (Gpt2Model model = Gpt2Model.load(WeightSource.of(GoldenFixture.syntheticTensors(3, SMALL)), SMALL,
                ModelConfig.DEFAULT, DeviceChoice.CPU)) {
            assertThat(model.device().isGpu()).isFalse();
            assertThat(model.logits(new int[][] {{1, 2, 3}}, null)[0]).hasNumberOfRows(3);
        }
    }

    @Test
    void missingTensorIsRefusedNamingTheTensorAndItsExpectedShape() {
        List<MappedTensor> tensors = new ArrayList<>(GoldenFixture.syntheticTensors(3, SMALL));
        tensors.removeIf(t -> t.name().equals("h.1.attn.c_attn.weight"));
        assertThatThrownBy(() -> Gpt2Model.load(WeightSource.of(tensors), SMALL, ModelConfig.DEFAULT, DeviceChoice.CPU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor h.1.attn.c_attn.weight is missing (expected shape [8, 24])");
    }

    @Test
    void wrongShapedTensorIsRefusedNamingTheTensorExpectedAndActualShape() {
        List<MappedTensor> tensors = new ArrayList<>(GoldenFixture.syntheticTensors(3, SMALL));
        tensors.replaceAll(t -> t.name().equals("h.0.mlp.c_fc.weight")
                ? new MappedTensor(new TensorSpec(t.name(), new long[] {32, 8}), t.data()) // [out, in]: a transposed Conv1D
                : t);
        assertThatThrownBy(() -> Gpt2Model.load(WeightSource.of(tensors), SMALL, ModelConfig.DEFAULT, DeviceChoice.CPU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor h.0.mlp.c_fc.weight has shape [32, 8], expected [8, 32]");
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensorAndElement() {
        List<MappedTensor> tensors = new ArrayList<>(GoldenFixture.syntheticTensors(3, SMALL));
        tensors.replaceAll(t -> {
            if (!t.name().equals("h.1.ln_2.bias")) {
                return t;
            }
            float[] v = t.data().clone();
            v[5] = Float.NaN;
            return new MappedTensor(t.spec(), v);
        });
        assertThatThrownBy(() -> Gpt2Model.load(WeightSource.of(tensors), SMALL, ModelConfig.DEFAULT, DeviceChoice.CPU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor h.1.ln_2.bias holds a non-finite value (NaN) at element 5");
    }

    /** The scans run on several threads; the message still lists every problem in the hub table's order. */
    @Test
    void everyProblemIsListedInTheTablesOrderWhicheverThreadFoundIt() {
        List<MappedTensor> tensors = new ArrayList<>(GoldenFixture.syntheticTensors(3, SMALL));
        tensors.removeIf(t -> t.name().equals("h.1.attn.c_proj.bias"));
        tensors.replaceAll(t -> {
            if (!t.name().equals("wte.weight") && !t.name().equals("h.1.mlp.c_fc.weight") && !t.name().equals("ln_f.weight")) {
                return t;
            }
            float[] v = t.data().clone();
            v[v.length - 1] = t.name().equals("ln_f.weight") ? Float.NEGATIVE_INFINITY : Float.NaN;
            return new MappedTensor(t.spec(), v);
        });
        for (int round = 0; round < 5; round++) {
            assertThatThrownBy(() -> Gpt2Model.load(WeightSource.of(tensors), SMALL, ModelConfig.DEFAULT, DeviceChoice.CPU))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("tensor wte.weight holds a non-finite value (NaN) at element 399; ",
                            "tensor h.1.attn.c_proj.bias is missing (expected shape [8]); ",
                            "tensor h.1.mlp.c_fc.weight holds a non-finite value (NaN) at element 255; ",
                            "tensor ln_f.weight holds a non-finite value (-Infinity) at element 7")
                    .satisfies(e -> assertThat(order(e.getMessage(), "wte.weight", "h.1.attn.c_proj.bias",
                            "h.1.mlp.c_fc.weight", "ln_f.weight")).isTrue());
        }
    }

    private static boolean order(String message, String... names) {
        int at = -1;
        for (String name : names) {
            int next = message.indexOf("tensor " + name + " ");
            if (next <= at) {
                return false;
            }
            at = next;
        }
        return true;
    }

    @Test
    void aSeparateLmHeadIsTheHeadAndTheEmbeddingStaysTheInput() {
        List<MappedTensor> tied = GoldenFixture.syntheticTensors(3, SMALL);
        float[] wte = tied.stream().filter(t -> t.name().equals("wte.weight")).findFirst().orElseThrow().data();
        float[] zeros = new float[wte.length];
        List<MappedTensor> untied = new ArrayList<>(tied);
        untied.add(new MappedTensor(new TensorSpec("lm_head.weight", new long[] {50, 8}), zeros));
        try (Gpt2Model a = Gpt2Model.load(WeightSource.of(tied), SMALL, ModelConfig.DEFAULT, DeviceChoice.CPU);
                Gpt2Model b = Gpt2Model.load(WeightSource.of(untied), SMALL, ModelConfig.DEFAULT, DeviceChoice.CPU)) {
            float[][] tiedLogits = a.logits(new int[][] {{1, 2}}, null)[0];
            float[][] zeroHead = b.logits(new int[][] {{1, 2}}, null)[0];
            assertThat(tiedLogits[1]).isNotEqualTo(new float[50]);
            assertThat(zeroHead[1]).containsOnly(0f);
        }
    }

    @Test
    void badInputsAreRefusedNamingTheArgument() {
        try (Gpt2Model model = Gpt2Model.load(WeightSource.of(GoldenFixture.syntheticTensors(3, SMALL)), SMALL,
                ModelConfig.DEFAULT, DeviceChoice.CPU)) {
            assertThatThrownBy(() -> model.logits(new int[][] {{1, 50}}, null))
                    .hasMessageContaining("inputIds[0][1] is token 50, outside the vocabulary [0, 50)");
            assertThatThrownBy(() -> model.logits(new int[][] {new int[9]}, null))
                    .hasMessageContaining("more than n_ctx 8");
            assertThatThrownBy(() -> model.logits(new int[][] {{1, 2}, {3}}, null))
                    .hasMessageContaining("row 1");
            assertThatThrownBy(() -> model.logits(new int[][] {{1, 2}}, new int[][] {{1, 2}}))
                    .hasMessageContaining("attentionMask[0][1] is 2");
            assertThatThrownBy(() -> model.logits(new int[][] {{1}, {2}}, null, (name, value) -> { }))
                    .hasMessageContaining("one row");
        }
    }

    @Test
    void cudaWithoutAGpuIsRefusedNotDegradedToCpu() {
        assumeThat(Engine.getEngine("PyTorch").getGpuCount()).as("this machine has no GPU").isZero();
        assertThatThrownBy(() -> Gpt2Model.load(WeightSource.of(GoldenFixture.syntheticTensors(3, SMALL)), SMALL,
                ModelConfig.DEFAULT, DeviceChoice.CUDA))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cuda was requested");
        assertThat(DeviceChoice.parse("Cuda")).isEqualTo(DeviceChoice.CUDA);
        assertThatThrownBy(() -> DeviceChoice.parse("tpu")).hasMessageContaining("'tpu'");
    }

    @Test
    void huggingFaceActivationNamesMapToTheirFormula() {
        assertThat(ModelConfig.Activation.fromHuggingFace("gelu_new")).isEqualTo(ModelConfig.Activation.GELU_TANH);
        assertThat(ModelConfig.Activation.fromHuggingFace("gelu")).isEqualTo(ModelConfig.Activation.GELU_ERF);
        assertThatThrownBy(() -> ModelConfig.Activation.fromHuggingFace("relu")).hasMessageContaining("'relu'");
        assertThatThrownBy(() -> new ModelConfig(0, ModelConfig.Activation.GELU_TANH))
                .hasMessageContaining("layer_norm_epsilon");
    }
}
