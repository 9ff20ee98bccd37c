package net.gpt2j.converter.hparams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.format.Hparams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HparamsFileTest {

    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path f = dir.resolve("hparams.json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void readsOpenAisReleasedHparams() throws Exception {
        Path f = dir.resolve("hparams.json");
        Files.write(f, GoldenData.read("openai-gpt2-117M/hparams.json"));
        assertThat(HparamsFile.read(f)).isEqualTo(new Hparams(50257, 1024, 768, 12, 12));
    }

    @Test
    void malformedJsonIsRefusedNamingTheFile() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": ");
        assertThatThrownBy(() -> HparamsFile.read(f)).isInstanceOf(HparamsException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("not valid JSON");
    }

    @Test
    void missingKeyIsRefusedNamingFileAndKey() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 768, \"n_layer\": 12}");
        assertThatThrownBy(() -> HparamsFile.read(f)).isInstanceOf(HparamsException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("\"n_head\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.5", "\"12\"", "true", "null", "12.0", "4294967308"})
    void nonIntegerValueIsRefusedNamingTheKey(String value) throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": " + value + "}");
        assertThatThrownBy(() -> HparamsFile.read(f)).isInstanceOf(HparamsException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("\"n_layer\"").hasMessageContaining("integer");
    }

    @Test
    void zeroOrNegativeIsRefusedNamingTheKey() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 0, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": 12}");
        assertThatThrownBy(() -> HparamsFile.read(f)).hasMessageContaining("\"n_ctx\"").hasMessageContaining("positive");
    }

    @Test
    void nEmbdNotDivisibleByNHeadIsRefusedNamingBothKeys() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 770, \"n_head\": 12, \"n_layer\": 12}");
        assertThatThrownBy(() -> HparamsFile.read(f)).isInstanceOf(HparamsException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("n_embd (770)").hasMessageContaining("n_head (12)");
    }

    @Test
    void duplicateKeyIsRefused() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": 12, \"n_layer\": 24}");
        assertThatThrownBy(() -> HparamsFile.read(f)).isInstanceOf(HparamsException.class).hasMessageContaining("n_layer");
    }

    @Test
    void aJsonArrayIsRefused() throws Exception {
        Path f = write("[50257, 1024]");
        assertThatThrownBy(() -> HparamsFile.read(f)).isInstanceOf(HparamsException.class).hasMessageContaining("JSON object");
    }

    @Test
    void missingFileIsReportedNamingIt() {
        Path f = dir.resolve("nope/hparams.json");
        assertThatThrownBy(() -> HparamsFile.read(f)).isInstanceOf(HparamsException.class).hasMessageContaining(f.toString());
    }
}
