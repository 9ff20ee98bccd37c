package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.converter.Converter;
import net.gpt2j.converter.checkpoint.JavaCheckpointReader;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.model.ModelConfig;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A conversion can feed the runtime without a file in between, and gives the very same model. */
class InMemoryConversionTest {

    @TempDir
    Path dir;

    @Test
    void inMemoryConversionAndConvertedFolderGiveBitIdenticalLogits() throws Exception {
        Hparams odd = new Hparams(50257, 48, 48, 3, 3);
        Path checkpoint = dir.resolve("odd");
        new FixtureWriter().write(20191105, odd, checkpoint);
        Path converted = dir.resolve("odd-converted");
        new Converter(ConversionListener.SILENT).convert(checkpoint, converted, false);

        Map<String, MappedTensor> weights;
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(checkpoint)) {
            weights = Converter.convertInMemory(reader, odd);
        }
        int[][] ids = {{6109, 3626, 6100, 345}};
        int[][] mask = {{1, 1, 1, 1}};
        try (Gpt2Runtime fromFile = Gpt2Runtime.load(converted, DeviceChoice.CPU);
                Gpt2Runtime inMemory = Gpt2Runtime.fromWeights(weights, odd, ModelConfig.DEFAULT,
                        Gpt2Tokenizer.fromGoldenData(), DeviceChoice.CPU)) {
            float[][] a = fromFile.model().logits(ids, mask)[0];
            float[][] b = inMemory.model().logits(ids, mask)[0];
            assertThat(b).isDeepEqualTo(a);
            assertThat(a[3]).hasSize(50257);
        }
    }
}
