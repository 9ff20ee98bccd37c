package net.gpt2j.runtime.generate;

import static net.gpt2j.runtime.generate.GoldenFixtures.intRows;
import static net.gpt2j.runtime.generate.GoldenFixtures.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.golden.GoldenData;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every generation case HuggingFace recorded (greedy, beam, left-padded batch, warpers, perplexity)
 * for both fixtures and both HF versions, replayed through this package on the plain-Java reference
 * model, with the beam length convention of the file's version.
 */
class HuggingFaceGoldenTest {

    @TestFactory
    Stream<DynamicNode> everyRecordedCaseMatchesHuggingFace() {
        List<DynamicNode> files = new ArrayList<>();
        for (String version : GoldenData.HF_VERSIONS) {
            for (String fixture : GoldenData.FIXTURES) {
                JsonNode golden = GoldenFixtures.golden(version, fixture);
                BeamLengthConvention convention =
                        BeamLengthConvention.forHfVersion(golden.get("recorded_with").get("transformers").asText());
                List<DynamicNode> cases = new ArrayList<>();
                cases.add(DynamicTest.dynamicTest("reference model reproduces the recorded last-position logits",
                        () -> referenceModelMatchesLogits(golden)));
                eachCase(golden, "greedy", cases, (i, c) -> DynamicTest.dynamicTest(
                        "greedy[" + i + "] " + describe(c), () -> greedy(golden, c)));
                eachCase(golden, "beam", cases, (i, c) -> DynamicTest.dynamicTest(
                        "beam[" + i + "] " + describe(c) + " " + convention, () -> beam(golden, c, convention)));
                eachCase(golden, "batch_greedy", cases, (i, c) -> DynamicTest.dynamicTest(
                        "batch_greedy[" + i + "] " + c.get("input_ids").size() + " left-padded rows",
                        () -> batchGreedy(golden, c)));
                eachCase(golden, "warpers", cases, (i, c) -> DynamicTest.dynamicTest(
                        "warpers[" + i + "] " + describe(c), () -> warpers(golden, c)));
                eachCase(golden, "perplexity", cases, (i, c) -> DynamicTest.dynamicTest(
                        "perplexity[" + i + "] max_length=" + c.get("max_length") + " stride=" + c.get("stride"),
                        () -> perplexity(golden, c)));
                files.add(DynamicContainer.dynamicContainer("hf-" + version + "/" + fixture, cases));
            }
        }
        return files.stream();
    }

    private interface CaseTest {
        DynamicNode make(int index, JsonNode c);
    }

    private static void eachCase(JsonNode golden, String section, List<DynamicNode> out, CaseTest make) {
        JsonNode cases = golden.get(section);
        for (int i = 0; i < cases.size(); i++) {
            out.add(make.make(i, cases.get(i)));
        }
    }

    private static String describe(JsonNode c) {
        StringBuilder sb = new StringBuilder("prompt of " + c.get("input_ids").size());
        for (String key : List.of("max_new_tokens", "num_beams", "no_repeat_ngram_size", "repetition_penalty",
                "length_penalty", "early_stopping", "eos_token_id", "temperature", "top_k", "top_p")) {
            if (c.has(key)) {
                sb.append(", ").append(key).append('=').append(c.get(key).asText());
            }
        }
        return sb.toString();
    }

    private static GenerationConfig.Builder configOf(JsonNode c) {
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
        if (c.has("num_beams")) {
            b.numBeams(c.get("num_beams").asInt()).numReturnSequences(c.get("num_beams").asInt());
        }
        if (c.has("length_penalty")) {
            b.lengthPenalty(c.get("length_penalty").asDouble());
        }
        if (c.has("early_stopping")) {
            JsonNode es = c.get("early_stopping");
            b.earlyStopping(es.isBoolean()
                    ? (es.asBoolean() ? EarlyStopping.WHEN_BEAMS_FULL : EarlyStopping.HEURISTIC)
                    : EarlyStopping.NEVER);
        }
        return b;
    }

    private static void referenceModelMatchesLogits(JsonNode golden) {
        PlainJavaGpt2 model = GoldenFixtures.model(golden);
        for (JsonNode c : golden.get("logits")) {
            int[] ids = ints(c.get("input_ids"));
            float[] ours = model.logitsForAllPositions(ids)[ids.length - 1];
            ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(c.get("last_full_f32le_b64").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float maxDiff = 0;
            for (int v = 0; v < ours.length; v++) {
                maxDiff = Math.max(maxDiff, Math.abs(ours[v] - buf.getFloat()));
            }
            assertThat(maxDiff).as("max |logit difference| for prompt %s", Arrays.toString(ids)).isLessThan(1e-4f);
        }
    }

    private static void greedy(JsonNode golden, JsonNode c) {
        PlainJavaGpt2 model = GoldenFixtures.model(golden);
        int[] prompt = ints(c.get("input_ids"));
        GenerationConfig config = configOf(c).build();
        GreedyResult result = new GreedySearch(config).generate(model, PromptBatch.single(prompt));
        int[] expected = ints(c.get("output_ids"));
        assertThat(result.sequences()[0])
                .as(() -> Divergence.greedy(model, config, prompt.length, expected, result.sequences()[0]))
                .containsExactly(expected);
        assertThat(result.minTop2Gap()).as("min_top2_gap")
                .isCloseTo((float) c.get("min_top2_gap").asDouble(), within(5e-5f));
        if (c.has("sequence_logprob")) {
            double expectedLogprob = c.get("sequence_logprob").asDouble();
            assertThat(SequenceLogProb.of(model, result.sequences()[0], prompt.length)).as("sequence_logprob")
                    .isCloseTo(expectedLogprob, Offset.offset(Math.abs(expectedLogprob) * 1e-4));
        }
    }

    private static void beam(JsonNode golden, JsonNode c, BeamLengthConvention convention) {
        PlainJavaGpt2 model = GoldenFixtures.model(golden);
        int[] prompt = ints(c.get("input_ids"));
        BeamResult result = new BeamSearch(configOf(c).build(), convention).generate(model, PromptBatch.single(prompt));
        int[][] expected = intRows(c.get("sequences"));
        assertThat(result.sequences())
                .as(() -> Divergence.beam(expected, result.sequences(), prompt.length))
                .isDeepEqualTo(expected);
        JsonNode scores = c.get("sequences_scores");
        assertThat(result.sequencesScores()).hasSize(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            float want = (float) scores.get(i).asDouble();
            assertThat(result.sequencesScores()[i]).as("sequences_scores[%d]", i)
                    .isCloseTo(want, within(1e-5f + Math.abs(want) * 1e-5f));
        }
    }

    private static void batchGreedy(JsonNode golden, JsonNode c) {
        PlainJavaGpt2 model = GoldenFixtures.model(golden);
        PromptBatch batch = new PromptBatch(intRows(c.get("input_ids")), intRows(c.get("attention_mask")));
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(c.get("max_new_tokens").asInt())
                .padTokenId(c.get("pad_token_id").asInt()).build();
        GreedyResult result = new GreedySearch(config).generate(model, batch);
        assertThat(result.sequences()).isDeepEqualTo(intRows(c.get("output_ids")));
        assertThat(result.minTop2Gap()).as("min_top2_gap")
                .isCloseTo((float) c.get("min_top2_gap").asDouble(), within(5e-5f));
    }

    private static void warpers(JsonNode golden, JsonNode c) {
        PlainJavaGpt2 model = GoldenFixtures.model(golden);
        int[] prompt = ints(c.get("input_ids"));
        float[][] scores = model.prefill(new int[][] {prompt}, PromptBatch.single(prompt).attentionMask());
        GenerationConfig config = GenerationConfig.builder().doSample(true)
                .temperature(c.get("temperature").asDouble())
                .topK(c.get("top_k").asInt())
                .topP(c.get("top_p").asDouble())
                .build();
        for (LogitsProcessor w : config.warpers()) {
            w.process(new int[][] {prompt}, scores);
        }
        float[] probs = ScoreMath.softmax(scores[0]);
        int kept = 0;
        for (float p : probs) {
            if (p > 0) {
                kept++;
            }
        }
        assertThat(kept).as("kept").isEqualTo(c.get("kept").asInt());
        Integer[] order = new Integer[probs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probs[b], probs[a]));
        int[] expectedIds = ints(c.get("top_ids"));
        int[] topIds = new int[expectedIds.length];
        for (int i = 0; i < topIds.length; i++) {
            topIds[i] = order[i];
            assertThat(probs[order[i]]).as("top_probs[%d]", i)
                    .isCloseTo((float) c.get("top_probs").get(i).asDouble(), within(1e-5f));
        }
        assertThat(topIds).as("top_ids").containsExactly(expectedIds);
    }

    private static void perplexity(JsonNode golden, JsonNode c) {
        PlainJavaGpt2 model = GoldenFixtures.model(golden);
        int[] ids = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE)
                .encodeOrdinary(c.get("text").asText()).toArray();
        double ppl = SlidingWindowPerplexity.of(model, ids, c.get("max_length").asInt(), c.get("stride").asInt());
        double expected = c.get("ppl").asDouble();
        assertThat(ppl).isCloseTo(expected, Offset.offset(expected * 1e-4));
    }
}
