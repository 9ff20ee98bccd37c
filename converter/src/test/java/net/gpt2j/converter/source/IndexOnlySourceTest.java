package net.gpt2j.converter.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** golden/'s copy of OpenAI's 117M release holds the index without the 475 MB shard. */
class IndexOnlySourceTest {

    @TempDir
    Path dir;

    private Path realFilesWithoutShard() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("117M"));
        for (String f : new String[] {"checkpoint", "hparams.json", "model.ckpt.index", "encoder.json", "vocab.bpe"}) {
            Files.write(folder.resolve(f), GoldenData.read("openai-gpt2-117M/" + f));
        }
        return folder;
    }

    @Test
    void listingOpensItAndSaysTheShardIsAbsent() throws Exception {
        Path folder = realFilesWithoutShard();
        try (CheckpointSource src = CheckpointSource.openForListing(folder, dir);
                CheckpointReader reader = src.openReader()) {
            assertThat(reader.tensors()).hasSize(148);
            assertThat(src.absentShards()).containsExactly("model.ckpt.data-00000-of-00001");
        }
    }

    @Test
    void convertingStillNeedsTheShard() throws Exception {
        Path folder = realFilesWithoutShard();
        assertThatThrownBy(() -> CheckpointSource.open(folder, dir)).isInstanceOf(SourceException.class)
                .hasMessageContaining("model.ckpt.data-00000-of-00001");
    }
}
