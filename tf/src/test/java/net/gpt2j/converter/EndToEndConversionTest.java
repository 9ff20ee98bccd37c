package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.converter.source.Archives;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole pipeline on a real TF checkpoint: the tiny fixture (written by TensorFlow's SaveV2 via
 * FixtureWriter) as a folder and packed as .tar, .tar.gz and .zip under a top-level folder, read by
 * the pure-Java reader, converted, and every tensor of model.safetensors compared bit for bit with
 * WeightMapping applied to SyntheticWeights.
 */
class EndToEndConversionTest {

    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);

    @TempDir
    static Path shared;
    static Path fixture;
    static Map<String, String> fixtureSha = new HashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void writeFixture() throws Exception {
        fixture = shared.resolve("tiny");
        new FixtureWriter().write(1, TINY, fixture);
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                fixtureSha.put(f.getFileName().toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
    }

    private Path source(String kind) throws Exception {
        switch (kind) {
            case "folder":
                return fixture;
            case "tar":
                return Archives.tar(fixture, dir.resolve("tiny.tar"), "tiny", false);
            case "tar.gz":
                return Archives.tar(fixture, dir.resolve("tiny.tar.gz"), "tiny", true);
            case "zip-stored":
                return Archives.zip(fixture, dir.resolve("tiny.zip"), "tiny", true);
            case "zip-deflated":
                return Archives.zip(fixture, dir.resolve("tiny.zip"), "tiny", false);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"folder", "tar", "tar.gz", "zip-stored", "zip-deflated"})
    void tinyFixtureConvertsBitForBit(String kind) throws Exception {
        Path src = source(kind);
        Path outParent = Files.createDirectories(dir.resolve("converted"));
        Path out = outParent.resolve("tiny-hub");

        ConversionResult result = new Converter(ConversionListener.SILENT).convert(src, out, false);

        SyntheticWeights weights = new SyntheticWeights(1, TINY);
        ConverterTest.assertSafetensorsEqual(out.resolve(Converter.SAFETENSORS), ConverterTest.expected(weights), TINY);
        assertThat(result.ignoredVariables()).isEmpty();
        try (Stream<Path> s = Files.list(outParent)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no scratch or partial folder left").containsExactly(out.getFileName().toString());
        }
        JsonNode manifest = new ObjectMapper().readTree(out.resolve(Converter.MANIFEST).toFile());
        JsonNode sources = manifest.get("sources");
        // checkpoint, hparams.json, index, the one shard, encoder.json, vocab.bpe
        assertThat(sources.size()).isEqualTo(6);
        for (JsonNode f : sources) {
            String name = f.get("name").asText();
            String base = name.substring(name.lastIndexOf('/') + 1);
            assertThat(name).isEqualTo(kind.equals("folder") ? base : "tiny/" + base);
            assertThat(f.get("sha256").asText()).as(name).isEqualTo(fixtureSha.get(base));
        }
        assertThat(out.resolve("merges.txt")).hasSameBinaryContentAs(fixture.resolve("vocab.bpe"));
    }
}
