package net.gpt2j.runtime.generate;

import java.util.stream.Stream;
import net.gpt2j.kit.GoldenTests;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Every packaged golden case (every HF version, fixture and kind the kit knows) through the kit, on
 * the runtime's generation code over the plain-Java reference forward ({@link PlainJavaPort}): the
 * same harness and the same {@code Tolerances} table a third-party port meets. Cases the reference
 * cannot serve (activations: it keeps no probes; eos lists; real weights) are reported skipped with
 * the reason.
 */
class HuggingFaceGoldenTest {

    @TestFactory
    Stream<DynamicNode> everyPackagedGoldenPassesOnThePlainJavaReference() {
        return GoldenTests.forProvider(PlainJavaPort::forSpec).withMarginLines(null).packaged();
    }
}
