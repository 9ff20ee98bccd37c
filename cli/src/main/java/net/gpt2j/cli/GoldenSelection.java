package net.gpt2j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.golden.ActivationsGolden;
import net.gpt2j.kit.golden.GoldenFile;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;

/**
 * Which golden files {@code verify --model DIR} can run: a golden recorded on another model shape
 * would only produce dozens of numeric failures that say nothing about the model, so it is left out
 * with one reason ("recorded for another model shape"). Goldens without a shape (tokenizer, real
 * weights) are kept. Packaged goldens that match are copied to a scratch folder, since the kit runs
 * either all packaged goldens or the given files.
 */
final class GoldenSelection {

    record LeftOut(String golden, String reason) {}

    private final List<Path> kept = new ArrayList<>();
    private final List<LeftOut> leftOut = new ArrayList<>();

    List<Path> kept() {
        return kept;
    }

    List<LeftOut> leftOut() {
        return leftOut;
    }

    /** The given files, those recorded for another shape left out; a file that does not load is kept, so the kit reports why. */
    static GoldenSelection ofFiles(List<Path> files, Hparams model) {
        GoldenSelection s = new GoldenSelection();
        for (Path f : files) {
            GoldenFile g;
            try {
                g = GoldenLoader.load(f);
            } catch (RuntimeException e) {
                s.kept.add(f);
                continue;
            }
            s.keepIfShapeMatches(g, f.toString(), model, f);
        }
        return s;
    }

    /** Every packaged golden whose shape matches, copied under {@code scratch}. */
    static GoldenSelection packaged(Hparams model, Path scratch) throws IOException {
        GoldenSelection s = new GoldenSelection();
        for (String name : GoldenLoader.packagedNames()) {
            GoldenFile g = GoldenLoader.packaged(name);
            Path copy = scratch.resolve(name);
            if (s.keepIfShapeMatches(g, name, model, copy)) {
                Files.createDirectories(copy.getParent());
                try (InputStream in = GoldenData.open(name)) {
                    Files.copy(in, copy);
                }
            }
        }
        return s;
    }

    private boolean keepIfShapeMatches(GoldenFile g, String label, Hparams model, Path path) {
        Hparams recorded = g instanceof ModelGolden m ? m.hparams() : g instanceof ActivationsGolden a ? a.hparams() : null;
        if (recorded != null && !recorded.equals(model)) {
            leftOut.add(new LeftOut(label, "recorded for another model shape (" + ModelShape.describe(recorded) + ")"));
            return false;
        }
        kept.add(path);
        return true;
    }
}
