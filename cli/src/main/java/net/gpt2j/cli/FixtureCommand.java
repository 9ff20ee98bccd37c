package net.gpt2j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.format.Hparams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fixture", mixinStandardHelpOptions = true,
        description = "Write a seeded synthetic GPT-2 checkpoint in OpenAI's release format (FIXTURES.md), with TensorFlow's own SaveV2.")
final class FixtureCommand implements Callable<Integer> {

    @Option(names = "--seed", required = true, description = "The fixture's seed (tiny: 1, odd: 20191105).")
    long seed;

    @Mixin
    HparamsOptions hparams;

    @Option(names = "--out", required = true, description = "Folder to create (must not exist or be empty).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Hparams hp = hparams.toHparams();
        NativeLogs.quietTensorFlowStart();
        new FixtureWriter().write(seed, hp, out);
        System.out.println("wrote synthetic checkpoint seed " + seed + " " + hp + " to " + out);
        return 0;
    }
}
