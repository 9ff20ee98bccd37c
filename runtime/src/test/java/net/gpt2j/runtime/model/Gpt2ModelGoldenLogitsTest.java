package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The full forward reproduces HuggingFace's recorded logits on the synthetic fixtures. */
class Gpt2ModelGoldenLogitsTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "odd"})
    void everyPositionMatchesHuggingFaceTopProbeAndArgmax(String name) {
        GoldenFixture fixture = GoldenFixture.of(name);
        try (Gpt2Model model = fixture.load(ModelConfig.DEFAULT)) {
            for (JsonNode c : fixture.golden.get("logits")) {
                int[] ids = GoldenFixture.ints(c.get("input_ids"));
                float[][] logits = model.logits(new int[][] {ids}, null)[0];
                String where = name + " " + Arrays.toString(ids);
                assertThat(logits).as(where).hasNumberOfRows(ids.length);
                for (int p = 0; p < ids.length; p++) {
                    JsonNode expected = c.get("positions").get(p);
                    String at = where + " position " + p;
                    assertThat(argmax(logits[p])).as(at + " argmax").isEqualTo(expected.get("argmax").asInt());
                    assertThat(logSumExp(logits[p])).as(at + " logsumexp")
                            .isCloseTo(expected.get("logsumexp").asDouble(), within(TOLERANCE));
                    for (String field : new String[] {"top", "probe"}) {
                        for (JsonNode pair : expected.get(field)) {
                            int id = pair.get(0).asInt();
                            assertThat((double) logits[p][id]).as(at + " " + field + " id " + id)
                                    .isCloseTo(pair.get(1).asDouble(), within(TOLERANCE));
                        }
                    }
                }
                float[] lastExpected = GoldenFixture.f32le(c.get("last_full_f32le_b64").asText());
                float[] last = logits[ids.length - 1];
                assertThat(last).as(where + " last position length").hasSameSizeAs(lastExpected);
                for (int v = 0; v < last.length; v++) {
                    assertThat((double) last[v]).as(where + " last position id " + v)
                            .isCloseTo(lastExpected[v], within(TOLERANCE));
                }
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

    private static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
