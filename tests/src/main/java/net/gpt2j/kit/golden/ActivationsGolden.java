package net.gpt2j.kit.golden;

import java.util.List;
import java.util.Optional;
import net.gpt2j.format.Hparams;

/** A {@code gpt2-activations/1} file: HF's intermediate tensors for one prompt, in forward order. */
public record ActivationsGolden(
        String name, RecordedWith recordedWith, String fixture, long seed, Hparams hparams, int[] inputIds, List<Probe> probes)
        implements GoldenFile {

    @Override
    public GoldenKind kind() {
        return GoldenKind.ACTIVATIONS;
    }

    public Optional<Probe> probe(String probeName) {
        return probes.stream().filter(p -> p.name().equals(probeName)).findFirst();
    }

    /** One named activation of shape {@code [rows (positions), cols (width)]}, row-major. */
    public record Probe(String name, int rows, int cols, double maxAbs, float[] values) {

        public float at(int row, int col) {
            return values[row * cols + col];
        }
    }
}
