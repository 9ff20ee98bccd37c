package net.gpt2j.kit.golden;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.gpt2j.format.Hparams;

/**
 * Parses {@code gpt2-activations/1}, checking every probe against what a GPT-2 of the file's hparams
 * can produce: a name of {@link ProbeGrammar} with a block index below {@code n_layer}, a shape of
 * {@code [len(input_ids), width]} with the width the hparams imply, and base64 that decodes to
 * exactly that many float32 values. Every error names the file, the field path and the probe, so
 * a broken file is refused at load time instead of failing every port later.
 */
final class ActivationsParser {

    private ActivationsParser() {}

    static ActivationsGolden parse(String name, JsonField top) {
        Hparams hparams = GoldenLoader.hparams(top);
        int[] ids = top.field("input_ids").tokenIds(hparams.nVocab());
        List<ActivationsGolden.Probe> probes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonField p : top.field("probes").elements()) {
            probes.add(probe(p, hparams, ids.length, seen));
        }
        return new ActivationsGolden(name, GoldenLoader.recordedWith(top), top.field("fixture").text(),
                top.field("seed").longValue(), hparams, ids, probes);
    }

    private static ActivationsGolden.Probe probe(JsonField p, Hparams hp, int positions, Set<String> seen) {
        JsonField nameField = p.field("name");
        String probeName = nameField.text();
        String subject = "probe \"" + probeName + "\" ";
        ProbeGrammar.problem(probeName, hp).ifPresent(why -> {
            throw nameField.error(subject + why);
        });
        if (!seen.add(probeName)) {
            throw nameField.error(subject + "appears twice");
        }
        JsonField shapeField = p.field("shape");
        int[] shape = shapeField.intArray();
        if (shape.length != 2) {
            throw shapeField.error(subject + "has shape " + Arrays.toString(shape) + ", expected [positions, width]");
        }
        if (shape[0] != positions) {
            throw shapeField.error(subject + "has " + shape[0] + " positions but input_ids has " + positions);
        }
        int width = ProbeGrammar.width(probeName, hp);
        if (shape[1] != width) {
            throw shapeField.error(subject + "has width " + shape[1] + " but the hparams imply "
                    + ProbeGrammar.widthRule(probeName, hp));
        }
        float[] values = p.field("f32le_b64").base64Floats(positions * width, subject.stripTrailing() + ": ");
        double maxAbs = p.optional("max_abs").map(JsonField::doubleValue).orElse(Double.NaN);
        return new ActivationsGolden.Probe(probeName, positions, width, maxAbs, values);
    }
}
