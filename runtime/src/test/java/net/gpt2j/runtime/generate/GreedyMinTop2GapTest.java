package net.gpt2j.runtime.generate;

import static net.gpt2j.runtime.generate.GoldenFixtures.intRows;
import static net.gpt2j.runtime.generate.GoldenFixtures.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The greedy search's smallest top-2 gap against HF's recorded {@code min_top2_gap}, on the plain-Java
 * reference model. The kit reads that field only to word a diagnosis (a near-tie), so it checks no
 * value of it; this test keeps the check the runtime's golden test made before it ran through the kit.
 */
class GreedyMinTop2GapTest {

    @TestFactory
    Stream<DynamicNode> greedyMinTop2GapMatchesHuggingFace() {
        List<DynamicNode> tests = new ArrayList<>();
        for (String version : GoldenData.HF_VERSIONS) {
            for (String fixture : GoldenData.FIXTURES) {
                JsonNode golden = GoldenFixtures.golden(version, fixture);
                String name = "hf-" + version + "/" + fixture;
                JsonNode greedy = golden.get("greedy");
                for (int i = 0; i < greedy.size(); i++) {
                    JsonNode c = greedy.get(i);
                    tests.add(DynamicTest.dynamicTest(name + " greedy[" + i + "]", () -> single(golden, c)));
                }
                JsonNode batches = golden.get("batch_greedy");
                for (int i = 0; i < batches.size(); i++) {
                    JsonNode c = batches.get(i);
                    tests.add(DynamicTest.dynamicTest(name + " batch_greedy[" + i + "]", () -> batch(golden, c)));
                }
            }
        }
        return tests.stream();
    }

    private static void single(JsonNode golden, JsonNode c) {
        GenerationConfig.Builder b = GenerationConfig.builder().maxNewTokens(c.get("max_new_tokens").asInt());
        if (c.has("no_repeat_ngram_size")) {
            b.noRepeatNgramSize(c.get("no_repeat_ngram_size").asInt());
        }
        if (c.has("repetition_penalty")) {
            b.repetitionPenalty(c.get("repetition_penalty").asDouble());
        }
        if (c.has("eos_token_id")) {
            b.eosTokenId(c.get("eos_token_id").asInt());
        }
        GreedyResult result = new GreedySearch(b.build())
                .generate(GoldenFixtures.model(golden), PromptBatch.single(ints(c.get("input_ids"))));
        assertThat(result.sequences()[0]).containsExactly(ints(c.get("output_ids")));
        assertThat(result.minTop2Gap()).as("min_top2_gap")
                .isCloseTo((float) c.get("min_top2_gap").asDouble(), within(5e-5f));
    }

    private static void batch(JsonNode golden, JsonNode c) {
        PromptBatch batch = new PromptBatch(intRows(c.get("input_ids")), intRows(c.get("attention_mask")));
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(c.get("max_new_tokens").asInt())
                .padTokenId(c.get("pad_token_id").asInt()).build();
        GreedyResult result = new GreedySearch(config).generate(GoldenFixtures.model(golden), batch);
        assertThat(result.sequences()).isDeepEqualTo(intRows(c.get("output_ids")));
        assertThat(result.minTop2Gap()).as("min_top2_gap")
                .isCloseTo((float) c.get("min_top2_gap").asDouble(), within(5e-5f));
    }
}
