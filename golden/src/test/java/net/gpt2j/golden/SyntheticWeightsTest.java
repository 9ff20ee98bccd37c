package net.gpt2j.golden;

import net.gpt2j.format.Hparams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticWeightsTest {

    @Test
    void recipeReproducesTheRecordersCheckValuesBitForBitInEveryGoldenFile() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        for (String version : GoldenData.HF_VERSIONS) {
            for (String fixture : GoldenData.FIXTURES) {
                JsonNode golden = json.readTree(GoldenData.open(GoldenData.modelGolden(version, fixture)));
                JsonNode hp = golden.get("hparams");
                SyntheticWeights weights = new SyntheticWeights(golden.get("seed").asLong(), new Hparams(
                        hp.get("n_vocab").asInt(), hp.get("n_ctx").asInt(), hp.get("n_embd").asInt(),
                        hp.get("n_head").asInt(), hp.get("n_layer").asInt()));
                for (Iterator<Map.Entry<String, JsonNode>> it = golden.get("check").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> check = it.next();
                    for (int j = 0; j < check.getValue().size(); j++) {
                        float expected = (float) check.getValue().get(j).asDouble();
                        assertThat(Float.floatToIntBits(weights.value(check.getKey(), j)))
                                .as("%s %s element %d", fixture, check.getKey(), j)
                                .isEqualTo(Float.floatToIntBits(expected));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(4 * 3 * 4);
    }

    @Test
    void variablesFollowOpenAisTableFor124MShape() {
        SyntheticWeights w = new SyntheticWeights(1, new Hparams(50257, 1024, 768, 12, 12));
        assertThat(w.variables()).hasSize(148);
        long bytes = w.variables().stream().mapToLong(v -> v.elementCount() * 4).sum();
        assertThat(bytes).isEqualTo(497_759_232L);
    }
}
