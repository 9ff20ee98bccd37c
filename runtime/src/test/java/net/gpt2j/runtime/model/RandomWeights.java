package net.gpt2j.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.HubNames;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.TensorSpec;

/** Seeded Gaussian weights for a GPT-2 of any shape, for tests that need shapes no fixture has. */
final class RandomWeights {

    private RandomWeights() {}

    /** Every hub tensor: layer-norm gains around 1, everything else around 0 with spread {@code scale}. */
    static List<MappedTensor> of(Hparams h, long seed, float scale) {
        Random random = new Random(seed);
        List<MappedTensor> out = new ArrayList<>();
        for (TensorSpec spec : HubNames.expected(h, 4L * h.nEmbd())) {
            float[] values = new float[Math.toIntExact(spec.elementCount())];
            boolean gain = spec.name().endsWith("ln_1.weight") || spec.name().endsWith("ln_2.weight")
                    || spec.name().equals(HubNames.LN_F_WEIGHT);
            for (int i = 0; i < values.length; i++) {
                values[i] = gain ? 1f + 0.1f * (float) random.nextGaussian() : scale * (float) random.nextGaussian();
            }
            out.add(new MappedTensor(spec, values));
        }
        return out;
    }
}
