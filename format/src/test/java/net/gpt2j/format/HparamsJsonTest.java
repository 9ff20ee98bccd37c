package net.gpt2j.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HparamsJsonTest {

    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("hparams.json"), json, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheFiveKeys() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": 12}");
        assertThat(HparamsJson.read(f)).isEqualTo(new Hparams(50257, 1024, 768, 12, 12));
    }

    @Test
    void aMissingKeyIsAnErrorNeverZero() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 768, \"n_head\": 12}");
        assertThatThrownBy(() -> HparamsJson.read(f)).isInstanceOf(InvalidHparamsException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("no key \"n_layer\"");
    }

    @Test
    void aBillionLayersIsRefusedBeforeAnythingIsSizedFromIt() throws Exception {
        Path f = write("{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": 1000000000}");
        assertThatThrownBy(() -> HparamsJson.read(f)).isInstanceOf(InvalidHparamsException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("\"n_layer\" is 1000000000")
                .hasMessageContaining("more than the " + HparamsLimits.MAX_LAYER);
    }

    @Test
    void hparamsEachWithinTheirLimitButTooManyParametersTogetherAreRefused() throws Exception {
        Path f = write("{\"n_vocab\": 16000000, \"n_ctx\": 1024, \"n_embd\": 65536, \"n_head\": 64, \"n_layer\": 12}");
        assertThatThrownBy(() -> HparamsJson.read(f)).isInstanceOf(InvalidHparamsException.class)
                .hasMessageContaining("parameters, more than the");
    }

    @Test
    void theLargestGpt2IsWithinTheLimits() throws Exception {
        Hparams xl = new Hparams(50257, 1024, 1600, 25, 48);
        HparamsLimits.check(xl, "1558M");
        assertThat(HparamsLimits.parameters(xl)).isBetween(1_500_000_000L, 1_600_000_000L);
    }

    @Test
    void textAfterTheObjectIsRefused() throws Exception {
        Path f = write("{\"n_vocab\": 5, \"n_ctx\": 4, \"n_embd\": 4, \"n_head\": 2, \"n_layer\": 1} <html>");
        assertThatThrownBy(() -> HparamsJson.read(f)).isInstanceOf(InvalidHparamsException.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void problemListsAreCappedWithACount() {
        List<String> many = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "problem " + i).toList();
        String joined = Problems.join(many, "\n");
        assertThat(joined.lines()).hasSize(Problems.SHOWN + 1);
        assertThat(joined).startsWith("problem 0\n").endsWith("... and " + (2000 - Problems.SHOWN) + " more");
        assertThat(Problems.join(List.of("a", "b"), "; ")).isEqualTo("a; b");
    }
}
