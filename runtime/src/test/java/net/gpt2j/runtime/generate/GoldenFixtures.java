package net.gpt2j.runtime.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;

/** Loads golden files from the classpath and builds (once) the reference model each one names. */
final class GoldenFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, PlainJavaGpt2> MODELS = new ConcurrentHashMap<>();

    private GoldenFixtures() {}

    static JsonNode golden(String hfVersion, String fixture) {
        try {
            return JSON.readTree(GoldenData.read(GoldenData.modelGolden(hfVersion, fixture)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The float-accumulating reference model of the fixture a golden file describes. */
    static PlainJavaGpt2 model(JsonNode golden) {
        return MODELS.computeIfAbsent(golden.get("fixture").asText(), name -> {
            JsonNode h = golden.get("hparams");
            Hparams hp = new Hparams(h.get("n_vocab").asInt(), h.get("n_ctx").asInt(), h.get("n_embd").asInt(),
                    h.get("n_head").asInt(), h.get("n_layer").asInt());
            return new PlainJavaGpt2(new SyntheticWeights(golden.get("seed").asLong(), hp), false);
        });
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static int[][] intRows(JsonNode array) {
        int[][] out = new int[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints(array.get(i));
        }
        return out;
    }
}
