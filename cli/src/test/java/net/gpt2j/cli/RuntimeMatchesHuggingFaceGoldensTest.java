package net.gpt2j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.gpt2j.cli.port.RuntimePortProvider;
import net.gpt2j.kit.GoldenTests;
import net.gpt2j.runtime.model.DeviceChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Every packaged golden case (both HF versions, both fixtures, tokenizer, activations) against this
 * project's runtime, the whole way a user gets there: fixture written by TensorFlow's SaveV2,
 * converted by the converter, loaded from the converted folder. Real-weight cases are reported
 * skipped unless -Dgpt2.checkpoint=DIR is given.
 */
class RuntimeMatchesHuggingFaceGoldensTest {

    private static Path work;
    private static RuntimePortProvider provider;
    private static GoldenTests goldens;

    @TestFactory
    Stream<DynamicNode> everyPackagedGoldenCase() throws Exception {
        work = Files.createTempDirectory("gpt2-golden-test-");
        provider = new RuntimePortProvider(work, null, DeviceChoice.CPU);
        goldens = GoldenTests.forProvider(provider);
        return goldens.packaged();
    }

    @AfterAll
    static void closePorts() throws Exception {
        if (goldens != null) {
            goldens.closePorts();
        }
        if (provider != null) {
            provider.close();
        }
    }
}
