package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.Tolerances;
import net.gpt2j.kit.check.CheckResult;
import net.gpt2j.kit.check.LogitsCheck;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The full forward reproduces HuggingFace's recorded logits on the synthetic fixtures, judged by the
 * kit's {@link LogitsCheck} with the kit's one {@code Tolerances} table (as every port is: top 10,
 * probe ids, logsumexp, argmax unless the golden's top two are a near-tie, the whole last row).
 */
class Gpt2ModelGoldenLogitsTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void everyPositionMatchesHuggingFaceTopProbeAndArgmax(String name) {
        GoldenFixture fixture = GoldenFixture.of(name);
        ModelGolden golden = GoldenLoader.packaged(GoldenData.modelGolden(GoldenFixture.HF, name), ModelGolden.class);
        double tolerance = Tolerances.fromSystemProperties().logitsAbs();
        try (Gpt2Model model = fixture.load(ModelConfig.DEFAULT)) {
            for (ModelGolden.LogitsCase c : golden.logits()) {
                float[][] logits = model.logits(new int[][] {c.inputIds()}, null)[0];
                CheckResult result = LogitsCheck.check(c, logits, tolerance);
                assertThat(result.ok()).as(() -> name + " " + Arrays.toString(c.inputIds()) + ": " + result.report()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void leftPaddedRowsGetTheLogitsOfTheirUnpaddedSelves(String name) {
        GoldenFixture fixture = GoldenFixture.of(name);
        JsonNode batch = fixture.golden.get("batch_greedy").get(0);
        int[][] ids = GoldenFixture.intRows(batch.get("input_ids"));
        int[][] mask = GoldenFixture.intRows(batch.get("attention_mask"));
        try (Gpt2Model model = fixture.load(ModelConfig.DEFAULT)) {
            float[][][] padded = model.logits(ids, mask);
            for (int r = 0; r < ids.length; r++) {
                int pad = ids[r].length - Arrays.stream(mask[r]).sum();
                assertThat(pad).as("row %d has its padding on the left", r).isGreaterThanOrEqualTo(0);
                int[] real = Arrays.copyOfRange(ids[r], pad, ids[r].length);
                float[][] alone = model.logits(new int[][] {real}, null)[0];
                for (int p = 0; p < real.length; p++) {
                    assertClose(padded[r][pad + p], alone[p], 1e-5, name + " row " + r + " position " + p);
                }
            }
        }
    }

    static void assertClose(float[] actual, float[] expected, double tolerance, String what) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (!(d <= worst)) {
                worst = d;
                worstAt = i;
            }
        }
        assertThat(worst).as(what + ": largest difference, at index " + worstAt).isLessThanOrEqualTo(tolerance);
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
