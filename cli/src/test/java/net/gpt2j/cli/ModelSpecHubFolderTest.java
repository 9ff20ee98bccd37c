package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import net.gpt2j.cli.port.RuntimePort;
import net.gpt2j.format.HubConfig;
import net.gpt2j.format.OpenAiNames;
import net.gpt2j.format.safetensors.SafetensorsReader;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.golden.SyntheticWeights;
import net.gpt2j.kit.ModelSpec;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.model.DeviceChoice;
import java.util.stream.Stream;
import net.gpt2j.kit.GoldenTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port that loads its model from disk gets the fixture as the hub's folder from {@link
 * ModelSpec#writeHubFolder}, with no writer of its own: the folder holds the fixture's exact weights,
 * and this runtime, loading nothing but that folder, passes the golden on it.
 */
class ModelSpecHubFolderTest {

    private static final String GOLDEN = GoldenData.modelGolden("4.57.6", "tiny");

    @TempDir
    static Path tmp;

    private static GoldenTests goldens;

    @Test
    void theWrittenFolderHoldsTheFixturesExactWeightsUnderTheHubsNames() throws Exception {
        ModelSpec spec = tinySpec();
        Path dir = spec.writeHubFolder(tmp.resolve("tiny"));
        assertThat(dir.resolve("config.json")).exists();
        assertThat(dir.resolve("tokenizer.json")).exists();
        assertThat(HubConfig.read(dir).hparams()).isEqualTo(spec.hparams());
        SyntheticWeights w = spec.syntheticWeights();
        try (SafetensorsReader st = SafetensorsReader.open(dir.resolve("model.safetensors"))) {
            for (OpenAiNames.Row r : OpenAiNames.table(spec.hparams())) {
                float[] want = w.values(new SyntheticWeights.Variable(r.openAi().name(), r.openAi().shape()));
                float[] got = new float[want.length];
                st.floats(r.hub().name()).duplicate().get(got);
                // Arrays.mismatch, not containsExactly: AssertJ diffs float arrays quadratically on a mismatch
                assertThat(java.util.Arrays.mismatch(got, want)).as(r.hub().name() + ": first differing index").isEqualTo(-1);
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> aPortLoadingTheWrittenFolderPassesTheGolden() throws Exception {
        Path golden = tmp.resolve("tiny.golden.json");
        try (InputStream in = GoldenData.open(GOLDEN)) {
            Files.copy(in, golden);
        }
        Path base = tmp;
        goldens = GoldenTests.forProvider(spec -> new RuntimePort(Gpt2Runtime.load(
                spec.writeHubFolder(Files.createTempDirectory(base, "hub-")), DeviceChoice.CPU)));
        return goldens.files(golden);
    }

    @AfterAll
    static void closePorts() {
        if (goldens != null) {
            goldens.closePorts();
        }
    }

    private static ModelSpec tinySpec() throws Exception {
        var golden = new ObjectMapper().readTree(GoldenData.read(GOLDEN));
        var h = golden.get("hparams");
        long seed = golden.get("seed").asLong();
        return ModelSpec.synthetic("tiny", seed, new net.gpt2j.format.Hparams(h.get("n_vocab").asInt(),
                h.get("n_ctx").asInt(), h.get("n_embd").asInt(), h.get("n_head").asInt(), h.get("n_layer").asInt()));
    }
}
