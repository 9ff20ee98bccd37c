package net.gpt2j.kit.golden;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.gpt2j.golden.Hparams;

/** Parses {@code gpt2-activations/1}, checking every probe's shape against its data and the prompt. */
final class ActivationsParser {

    private ActivationsParser() {}

    static ActivationsGolden parse(String name, JsonField top) {
        Hparams hparams = GoldenLoader.hparams(top);
        int[] ids = top.field("input_ids").tokenIds(hparams.nVocab());
        List<ActivationsGolden.Probe> probes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonField p : top.field("probes").elements()) {
            String probeName = p.field("name").text();
            if (!seen.add(probeName)) {
                throw p.field("name").error("probe \"" + probeName + "\" appears twice");
            }
            int[] shape = p.field("shape").intArray();
            if (shape.length != 2 || shape[0] <= 0 || shape[1] <= 0) {
                throw p.field("shape").error("expected [positions, width] with both positive, got "
                        + java.util.Arrays.toString(shape));
            }
            if (shape[0] != ids.length) {
                throw p.field("shape").error("probe \"" + probeName + "\" has " + shape[0]
                        + " positions but input_ids has " + ids.length);
            }
            float[] values = p.field("f32le_b64").base64Floats(shape[0] * shape[1]);
            double maxAbs = p.optional("max_abs").map(JsonField::doubleValue).orElse(Double.NaN);
            probes.add(new ActivationsGolden.Probe(probeName, shape[0], shape[1], maxAbs, values));
        }
        return new ActivationsGolden(name, GoldenLoader.recordedWith(top), top.field("fixture").text(),
                top.field("seed").longValue(), hparams, ids, probes);
    }
}
