package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.JavaCheckpointReader;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.safetensors.SafetensorsWriter;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The byte-streaming relayout with chunks of a few bytes, so every copied tensor crosses many chunk
 * boundaries (some inside a float, some inside a Q/K/V bias) and every transposed one is written a
 * band at a time: the file must still equal {@link WeightMapping#map}'s output bit for bit, and
 * each returned CRC-32C must be that of the reference values.
 */
class TensorRelayoutTest {

    static final Hparams SMALL = new Hparams(16, 8, 8, 2, 2);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} reader, {1}-byte chunks")
    @CsvSource({"java, 36", "java, 4", "java, 1048576", "synthetic, 36", "synthetic, 7"})
    void smallChunksGiveTheReferenceBitForBitWithItsCrc32c(String readerKind, int chunkBytes) throws Exception {
        SyntheticWeights weights = new SyntheticWeights(3, SMALL);
        CheckpointReader reader;
        if (readerKind.equals("java")) {
            Path fixture = dir.resolve("fixture");
            new FixtureWriter().write(3, SMALL, fixture);
            reader = JavaCheckpointReader.open(fixture);
        } else {
            reader = new SyntheticCheckpoint(3, SMALL);
        }
        WeightMapping mapping = new WeightMapping(SMALL);
        Path file = dir.resolve("model.safetensors");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        Map<String, Integer> crcs = new HashMap<>();
        try (reader; SafetensorsWriter writer = SafetensorsWriter.create(file, mapping.outputs(), metadata)) {
            TensorRelayout relayout = new TensorRelayout(reader, writer, mapping, chunkBytes);
            for (InputPlan.Item item : InputPlan.check(reader.tensors(), mapping, SMALL).items()) {
                crcs.putAll(relayout.convert(item));
            }
            writer.finish();
        }
        Map<String, float[]> want = ConverterTest.expected(weights);
        ConverterTest.assertSafetensorsEqual(file, want, SMALL);
        assertThat(crcs.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        want.forEach((name, values) -> assertThat(String.format("%08x", crcs.get(name))).as(name)
                .isEqualTo(ConverterTest.crc32c(values)));
    }
}
