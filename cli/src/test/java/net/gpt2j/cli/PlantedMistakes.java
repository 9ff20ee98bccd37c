package net.gpt2j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.cli.port.RuntimePort;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.golden.SyntheticWeights;
import net.gpt2j.kit.CaseFailure;
import net.gpt2j.kit.GoldenTests;
import net.gpt2j.kit.Gpt2Port;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.model.ModelConfig;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Builds this runtime with one classic porting mistake planted, and runs golden files against it
 * through the kit, collecting what the kit says. The mistakes are planted where a real port makes
 * them: in the weights it loads (a wrong split, a missing transpose), in the model's configuration
 * (GELU variant, LayerNorm eps), or in how the port drives generation.
 */
final class PlantedMistakes {

    private PlantedMistakes() {}

    private static final Gpt2Tokenizer TOKENIZER = Gpt2Tokenizer.fromGoldenData();

    /**
     * HuggingFace's {@code forward} called without {@code position_ids}: the token's column in the
     * batch, padding counted. Equal to the mask's count without padding; with left padding it is the
     * classic batching mistake.
     */
    static final ModelConfig.PositionIds COLUMN_POSITIONS = (column, realTokensBefore, real) -> column;

    /** The correct hub weights of a synthetic fixture, mapped by the real WeightMapping. */
    static Map<String, MappedTensor> weights(long seed, Hparams hp) {
        Map<String, MappedTensor> out = new LinkedHashMap<>();
        for (MappedTensor t : new WeightMapping(hp).mapAll(new SyntheticWeights(seed, hp))) {
            out.put(t.name(), t);
        }
        return out;
    }

    /**
     * Q/K/V split along the wrong axis: the fused [E, 3E] c_attn weight cut into three contiguous
     * blocks of the flat buffer (as if it were [3, E, E]) instead of three column thirds.
     */
    static Map<String, MappedTensor> qkvSplitOnWrongAxis(long seed, Hparams hp) {
        Map<String, MappedTensor> w = weights(seed, hp);
        SyntheticWeights synthetic = new SyntheticWeights(seed, hp);
        int e = hp.nEmbd();
        for (int layer = 0; layer < hp.nLayer(); layer++) {
            String name = "model/h" + layer + "/attn/c_attn/w";
            float[] fused = synthetic.values(new SyntheticWeights.Variable(name, new long[] {1, e, 3L * e}));
            // column third k of the planted [E, 3E] weight is flat block k read as [in, out]: what the
            // correct split then takes as Q, K, V is what the wrong split would have taken
            float[] planted = new float[fused.length];
            for (int k = 0; k < 3; k++) {
                for (int in = 0; in < e; in++) {
                    for (int out = 0; out < e; out++) {
                        planted[in * 3 * e + k * e + out] = fused[k * e * e + in * e + out];
                    }
                }
            }
            String target = "h." + layer + ".attn.c_attn.weight";
            w.put(target, new MappedTensor(w.get(target).spec(), planted));
        }
        return w;
    }

    /**
     * The attention output projection used as stored ([in, out]), without the transpose to [out, in]:
     * planted by storing it transposed, which the runtime's load transposes back.
     */
    static Map<String, MappedTensor> attnProjUntransposed(long seed, Hparams hp) {
        Map<String, MappedTensor> w = weights(seed, hp);
        for (int layer = 0; layer < hp.nLayer(); layer++) {
            String name = "h." + layer + ".attn.c_proj.weight";
            MappedTensor t = w.get(name);
            w.put(name, new MappedTensor(t.spec(), transpose(t.data(), hp.nEmbd(), hp.nEmbd())));
        }
        return w;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    static RuntimePort port(Map<String, MappedTensor> weights, Hparams hp, ModelConfig config) {
        return new RuntimePort(Gpt2Runtime.fromWeights(weights, hp, config, TOKENIZER, DeviceChoice.CPU));
    }

    /** What the kit reports for each case of a packaged golden file run against {@code port}: name -> failure message (null: passed). */
    static Map<String, String> run(Gpt2Port port, String goldenFile) {
        GoldenTests tests = GoldenTests.forProvider(spec -> port);
        Map<String, String> results = new LinkedHashMap<>();
        try {
            tests.of(GoldenLoader.packaged(goldenFile)).forEach(node -> collect(node, results));
        } finally {
            tests.closePorts();
        }
        return results;
    }

    private static void collect(DynamicNode node, Map<String, String> results) {
        if (node instanceof DynamicContainer c) {
            c.getChildren().forEach(child -> collect(child, results));
        } else if (node instanceof DynamicTest t) {
            try {
                t.getExecutable().execute();
                results.put(t.getDisplayName(), null);
            } catch (CaseFailure failure) { // its message starts with the case's name, which the map's key holds
                results.put(t.getDisplayName(), failure.report());
            } catch (Throwable failure) {
                results.put(t.getDisplayName(), String.valueOf(failure.getMessage()));
            }
        }
    }

    static List<String> failuresOf(Map<String, String> results, String kindMarker) {
        List<String> out = new ArrayList<>();
        results.forEach((name, message) -> {
            if (message != null && name.contains(kindMarker)) {
                out.add(name + ": " + message);
            }
        });
        return out;
    }
}
