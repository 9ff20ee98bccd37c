package net.gpt2j.kit;

/**
 * Gives the kit a port for a model. The kit asks once per distinct {@link ModelSpec} per run and
 * reuses the answer; for synthetic specs, {@link ModelSpec#syntheticWeights()} yields the exact
 * weights; for {@link ModelSpec.Source#TOKENIZER_ONLY} return a port that tokenizes (or one with no
 * capabilities, to skip the tokenizer cases); throwing makes every case of that spec FAIL with the
 * message. A port that is {@link AutoCloseable} is closed by {@link KitRunner} at the end of its run.
 */
@FunctionalInterface
public interface PortProvider {

    Gpt2Port portFor(ModelSpec spec) throws Exception;
}
