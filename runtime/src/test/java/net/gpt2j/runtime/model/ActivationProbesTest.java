package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.ProbeRun;
import net.gpt2j.kit.Tolerances;
import net.gpt2j.kit.check.ActivationCheck;
import net.gpt2j.kit.check.CheckResult;
import net.gpt2j.kit.golden.ActivationsGolden;
import net.gpt2j.kit.golden.GoldenLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every intermediate value the observer sees matches HuggingFace's recorded activation probes,
 * judged by the kit's {@link ActivationCheck} with the kit's one {@code Tolerances} table.
 */
class ActivationProbesTest {

    private static final Tolerances TOLERANCES = Tolerances.fromSystemProperties();
    private static final double ABS = TOLERANCES.activationAbs();
    private static final double REL = TOLERANCES.activationRel();

    /** What one observed forward showed: name -> shape and values, in the order shown. */
    private static final class Recorder implements ForwardObserver {
        final Map<String, long[]> shapes = new LinkedHashMap<>();
        final Map<String, float[]> values = new LinkedHashMap<>();

        @Override
        public void probe(String name, ai.djl.ndarray.NDArray value) {
            shapes.put(name, value.getShape().getShape());
            values.put(name, value.toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void everyProbeMatchesHuggingFaceInForwardOrder(String name) {
        JsonNode golden = GoldenFixture.json(GoldenData.activationsGolden(name));
        Recorder seen = observe(golden, ModelConfig.DEFAULT);
        List<String> expectedNames = new ArrayList<>();
        for (JsonNode probe : golden.get("probes")) {
            String probeName = probe.get("name").asText();
            expectedNames.add(probeName);
            assertThat(seen.shapes).as(name + " observed probes").containsKey(probeName);
            long[] shape = new long[] {probe.get("shape").get(0).asLong(), probe.get("shape").get(1).asLong()};
            assertThat(seen.shapes.get(probeName)).as(name + " " + probeName + " shape").containsExactly(shape);
        }
        assertThat(seen.shapes.keySet()).as(name + ": the observer's names, in forward order")
                .containsExactlyElementsOf(expectedNames);
        ActivationsGolden parsed = GoldenLoader.packaged(GoldenData.activationsGolden(name), ActivationsGolden.class);
        CheckResult result = ActivationCheck.check(parsed, new ProbeRun(seen.values), TOLERANCES);
        assertThat(result.ok()).as(() -> name + ": " + result.report()).isTrue();
        assertThat(result.report()).as("judged on every probe").startsWith("activations OK: all " + expectedNames.size() + " probes within")
                .doesNotContain("not reported");
    }

    @Test
    void erfGeluIsWiredInAndFirstShowsAfterTheFirstMlp() {
        JsonNode golden = GoldenFixture.json(GoldenData.activationsGolden("tiny"));
        Recorder seen = observe(golden, new ModelConfig(1e-5, ModelConfig.Activation.GELU_ERF));
        assertThat(worstExcess(seen, golden, "h0.mlp.c_fc")).as("before GELU").isLessThanOrEqualTo(0);
        assertThat(worstExcess(seen, golden, "h0.mlp")).as("after GELU").isGreaterThan(0);
    }

    @Test
    void layerNormEpsilonIsWiredInAndFirstShowsAtTheFirstLayerNorm() {
        JsonNode golden = GoldenFixture.json(GoldenData.activationsGolden("tiny"));
        Recorder seen = observe(golden, new ModelConfig(1e-1, ModelConfig.Activation.GELU_TANH));
        assertThat(worstExcess(seen, golden, "embed")).as("before ln_1").isLessThanOrEqualTo(0);
        assertThat(worstExcess(seen, golden, "h0.ln_1")).as("ln_1").isGreaterThan(0);
    }

    private static Recorder observe(JsonNode golden, ModelConfig config) {
        GoldenFixture fixture = GoldenFixture.of(golden.get("fixture").asText());
        assertThat(golden.get("seed").asLong()).as("activation file and model golden describe one model").isEqualTo(fixture.seed);
        assertThat(GoldenFixture.hparams(golden.get("hparams"))).isEqualTo(fixture.hparams);
        int[] ids = GoldenFixture.ints(golden.get("input_ids"));
        Recorder recorder = new Recorder();
        try (Gpt2Model model = fixture.load(config)) {
            model.logits(new int[][] {ids}, null, recorder);
        }
        return recorder;
    }

    /** The largest amount by which a value of probe {@code name} exceeds the tolerance (<= 0: all within). */
    private static double worstExcess(Recorder seen, JsonNode golden, String name) {
        for (JsonNode probe : golden.get("probes")) {
            if (probe.get("name").asText().equals(name)) {
                float[] expected = GoldenFixture.f32le(probe.get("f32le_b64").asText());
                float[] actual = seen.values.get(name);
                double worst = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < expected.length; i++) {
                    worst = Math.max(worst, Math.abs((double) actual[i] - expected[i]) - (ABS + REL * Math.abs(expected[i])));
                }
                return worst;
            }
        }
        throw new AssertionError("no probe " + name + " in the golden file");
    }
}
