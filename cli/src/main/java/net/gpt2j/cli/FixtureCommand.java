package net.gpt2j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.format.Hparams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fixture", mixinStandardHelpOptions = true,
        description = "Write a seeded synthetic GPT-2 checkpoint in OpenAI's release format (FIXTURES.md), with TensorFlow's own SaveV2.")
final class FixtureCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", required = true, converter = UnsignedSeed.class,
            description = "The fixture's seed, unsigned 64-bit: 0 to 18446744073709551615 (tiny: 1, odd: 20191105).")
    long seed;

    /** FIXTURES.md's seeds are unsigned 64-bit: 2^64-1 is a valid seed, held in a long's 64 bits. */
    static final class UnsignedSeed implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return net.gpt2j.golden.SyntheticWeights.parseSeed(value);
        }
    }

    @Mixin
    HparamsOptions hparams;

    @Option(names = "--out", required = true, description = "Folder to create (must not exist or be empty).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Hparams hp = hparams.toHparams(spec);
        NativeLogs.quietTensorFlowStart();
        new FixtureWriter().write(seed, hp, out);
        System.out.println("wrote synthetic checkpoint seed " + Long.toUnsignedString(seed) + " " + hp + " to " + out);
        return 0;
    }
}
