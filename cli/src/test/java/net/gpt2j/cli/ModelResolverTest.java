package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.format.Hparams;
import net.gpt2j.tf.FixtureWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model given an OpenAI release converts it once into the cache and reuses it while the release is unchanged. */
class ModelResolverTest {

    @TempDir
    Path dir;
    Path release;
    Path cache;
    final List<String> phases = new ArrayList<>();
    final ConversionListener listener = new ConversionListener() {
        @Override
        public void phase(String name, long totalBytes) {
            phases.add(name);
        }
    };

    @BeforeEach
    void release() throws Exception {
        release = dir.resolve("tiny");
        new FixtureWriter().write(1, new Hparams(50257, 16, 16, 2, 1), release);
        cache = dir.resolve("cache");
    }

    @Test
    void aReleaseIsConvertedOnceThenReusedAndAHubFolderIsUsedAsItIs() throws Exception {
        ModelResolver resolver = new ModelResolver(cache, listener);
        Path first = resolver.resolve(release);
        assertThat(first.getParent()).isEqualTo(cache);
        assertThat(first.getFileName().toString()).matches("tiny-[0-9a-f]{12}");
        assertThat(first.resolve("config.json")).exists();
        assertThat(phases).contains("converting tensors");

        phases.clear();
        Path second = resolver.resolve(release);
        assertThat(second).isEqualTo(first);
        assertThat(phases).as("no second conversion").doesNotContain("converting tensors");
        assertThat(resolver.resolve(first)).as("a hub folder is used where it is").isEqualTo(first);
    }

    @Test
    void aChangedReleaseGetsItsOwnFolderAndAStaleCacheIsConvertedAgain() throws Exception {
        ModelResolver resolver = new ModelResolver(cache, listener);
        Path first = resolver.resolve(release);
        Files.writeString(release.resolve("hparams.json"), Files.readString(release.resolve("hparams.json")) + "\n");
        Path changed = resolver.resolve(release);
        assertThat(changed).isNotEqualTo(first);

        // the manifest no longer describing the release (an edited or foreign folder): converted again
        Path manifest = changed.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"sha256\" : \"[0-9a-f]{4}", "\"sha256\" : \"0000"));
        phases.clear();
        assertThat(resolver.resolve(release)).isEqualTo(changed);
        assertThat(phases).contains("converting tensors");
        assertThat(Files.readString(manifest)).doesNotContain("\"sha256\" : \"0000");
    }

    @Test
    void anArchiveIsNamedWithoutItsExtensionAndAMissingModelIsNamed() {
        assertThat(ModelResolver.baseName(Path.of("models/124M.tar.gz"))).isEqualTo("124M");
        assertThat(ModelResolver.baseName(Path.of("124M.zip"))).isEqualTo("124M");
        assertThat(ModelResolver.baseName(Path.of("models/124M"))).isEqualTo("124M");
        assertThatThrownBy(() -> new ModelResolver(cache, listener).resolve(dir.resolve("nope")))
                .hasMessageContaining("nope").hasMessageContaining("does not exist");
    }

    @Test
    void theCacheIsTheOptionElseTheEnvironmentElseUnderHome() {
        Path home = Path.of("/home/u");
        assertThat(ModelResolver.cacheRoot(Path.of("/c"), Map.of("GPT2J_CACHE", "/e"), home)).isEqualTo(Path.of("/c"));
        assertThat(ModelResolver.cacheRoot(null, Map.of("GPT2J_CACHE", "/e"), home)).isEqualTo(Path.of("/e"));
        assertThat(ModelResolver.cacheRoot(null, Map.of(), home)).isEqualTo(Path.of("/home/u/.cache/gpt2j"));
    }
}
