package net.gpt2j.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.OpenAiNames;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.golden.SyntheticWeights;

/** A synthetic fixture's golden file and its hub-named weights, built in memory from the seed. */
final class GoldenFixture {

    static final String HF = "4.57.6";

    final String name;
    final JsonNode golden;
    final Hparams hparams;
    final long seed;

    private GoldenFixture(String name) {
        this.name = name;
        this.golden = json(GoldenData.modelGolden(HF, name));
        this.hparams = hparams(golden.get("hparams"));
        this.seed = golden.get("seed").asLong();
    }

    static GoldenFixture of(String name) {
        return new GoldenFixture(name);
    }

    static JsonNode json(String relativePath) {
        try (InputStream in = GoldenData.open(relativePath)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse golden file " + relativePath, e);
        }
    }

    static Hparams hparams(JsonNode h) {
        return new Hparams(h.get("n_vocab").asInt(), h.get("n_ctx").asInt(), h.get("n_embd").asInt(),
                h.get("n_head").asInt(), h.get("n_layer").asInt());
    }

    /** Every hub tensor of the fixture: each seeded OpenAI variable's values under its hub name and shape. */
    List<MappedTensor> tensors() {
        return syntheticTensors(seed, hparams);
    }

    static List<MappedTensor> syntheticTensors(long seed, Hparams hparams) {
        SyntheticWeights w = new SyntheticWeights(seed, hparams);
        List<MappedTensor> out = new ArrayList<>();
        for (OpenAiNames.Row r : OpenAiNames.table(hparams)) {
            out.add(new MappedTensor(r.hub(), w.values(new SyntheticWeights.Variable(r.openAi().name(), r.openAi().shape()))));
        }
        return out;
    }

    Gpt2Model load(ModelConfig config) {
        return Gpt2Model.load(WeightSource.of(tensors()), hparams, config, DeviceChoice.CPU);
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

    /** A base64 float32 little-endian field. */
    static float[] f32le(String base64) {
        FloatBuffer fb = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }
}
