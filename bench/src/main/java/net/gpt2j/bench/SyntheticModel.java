package net.gpt2j.bench;

import java.util.List;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.model.Gpt2Model;
import net.gpt2j.runtime.model.ModelConfig;
import net.gpt2j.runtime.model.WeightSource;

/**
 * A GPT-2 of any shape on the CPU with the synthetic weights of FIXTURES.md, built in memory: what
 * converting the fixture and loading the folder would give, without writing 500 MB to disk first.
 * Speed does not depend on the values, only on the shapes and the engine.
 */
final class SyntheticModel {

    private SyntheticModel() {}

    static Gpt2Model load(long seed, Hparams hparams) {
        return load(seed, hparams, DeviceChoice.CPU);
    }

    static Gpt2Model load(long seed, Hparams hparams, DeviceChoice device) {
        List<MappedTensor> tensors = tensors(seed, hparams);
        // the model copies every tensor into engine memory; the heap copies are garbage once this returns
        return Gpt2Model.load(WeightSource.of(tensors), hparams, ModelConfig.DEFAULT, device);
    }

    /** Every hub tensor, as the converter maps the seeded OpenAI variables. */
    static List<MappedTensor> tensors(long seed, Hparams hparams) {
        return new WeightMapping(hparams).mapAll(new SyntheticWeights(seed, hparams));
    }
}
