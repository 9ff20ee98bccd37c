package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.GoldenTests;
import net.gpt2j.kit.Tolerances;
import net.gpt2j.kit.golden.GoldenLoader;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

/** The runtime's goldens go through the kit's harness: a planted mistake in the reference port is caught and named by it. */
class PlainJavaPortThroughTheKitTest {

    @Test
    void beamScoredByTheWrongHfVersionFailsTheOlderGoldensWithTheKitsReport() {
        // every version scored as 4.57 does: the 4.28.1 recordings must fail, by the kit's beam check
        Stream<DynamicNode> nodes = GoldenTests.forProvider(spec -> PlainJavaPort.forSpec(spec, v -> BeamLengthConvention.HF_4_57))
                .withTolerances(Tolerances.defaults()).withMarginLines(null)
                .of(GoldenLoader.packaged(GoldenData.modelGolden("4.28.1", "tiny")));
        List<String> beamFailures = new ArrayList<>();
        List<String> otherFailures = new ArrayList<>();
        for (DynamicTest t : flatten(nodes)) {
            try {
                t.getExecutable().execute();
            } catch (org.opentest4j.TestAbortedException skipped) {
                // not this test's concern
            } catch (Throwable failed) {
                (t.getDisplayName().contains(" › beam[") ? beamFailures : otherFailures).add(failed.getMessage());
            }
        }

        assertThat(otherFailures).isEmpty();
        assertThat(beamFailures).isNotEmpty()
                .anyMatch(m -> m.contains(" › beam[") && m.contains(": beam scores NOT OK: ") && m.contains("recorded with transformers 4.28.1") && m.contains("(PROMPT_PLUS_GENERATED)"));
    }

    private static List<DynamicTest> flatten(Stream<DynamicNode> nodes) {
        List<DynamicTest> out = new ArrayList<>();
        nodes.forEach(n -> collect(n, out));
        return out;
    }

    private static void collect(DynamicNode node, List<DynamicTest> out) {
        if (node instanceof DynamicContainer c) {
            c.getChildren().forEach(child -> collect(child, out));
        } else {
            out.add((DynamicTest) node);
        }
    }
}
