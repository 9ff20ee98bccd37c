package net.gpt2j.converter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.Test;

/** The pure-Java reader against the index of OpenAI's real 117M/124M release, written by TensorFlow. */
class RealOpenAiIndexTest {

    private static final byte[] INDEX = GoldenData.read(GoldenData.REAL_INDEX);

    @Test
    void realIndexListsOpenAisTensorsWithTheirShapesSizesAndOffsets() throws Exception {
        try (JavaCheckpointReader reader = JavaCheckpointReader.fromIndex(INDEX, GoldenData.REAL_INDEX, List.of())) {
            List<TensorEntry> tensors = reader.tensors();
            assertThat(tensors).hasSize(148);
            assertThat(tensors).allSatisfy(t -> {
                assertThat(t.dtype()).isEqualTo("DT_FLOAT");
                assertThat(t.shardId()).isZero();
                assertThat(t.size()).isEqualTo(t.elementCount() * 4);
            });
            assertThat(tensors.stream().mapToLong(TensorEntry::size).sum()).isEqualTo(497_759_232L);
            TensorEntry cAttn = tensors.stream().filter(t -> t.name().equals("model/h0/attn/c_attn/w")).findFirst().orElseThrow();
            assertThat(cAttn.shape()).containsExactly(1, 768, 2304);
            assertThat(cAttn.offset()).isEqualTo(9216);
            assertThat(reader.header().numShards()).isEqualTo(1);
            assertThat(tensors.stream().map(TensorEntry::name)).contains("model/wte", "model/wpe", "model/ln_f/g", "model/h11/mlp/c_proj/b");
        }
    }

    @Test
    void realIndexTensorsTileTheShardWithoutGapsOrOverlaps() throws Exception {
        // Each tensor starts where the previous one (in offset order) ends: the listing read the
        // offsets and sizes of all 148 entries correctly, not just the ones checked by name.
        try (JavaCheckpointReader reader = JavaCheckpointReader.fromIndex(INDEX, GoldenData.REAL_INDEX, List.of())) {
            List<TensorEntry> byOffset = reader.tensors().stream()
                    .sorted(java.util.Comparator.comparingLong(TensorEntry::offset)).toList();
            long next = 0;
            for (TensorEntry t : byOffset) {
                assertThat(t.offset()).as(t.name()).isEqualTo(next);
                next += t.size();
            }
            assertThat(next).isEqualTo(497_759_232L);
        }
    }

    @Test
    void listingOnlyReaderRefusesToReadTensors() throws Exception {
        try (JavaCheckpointReader reader = JavaCheckpointReader.fromIndex(INDEX, GoldenData.REAL_INDEX, List.of())) {
            assertThatThrownBy(() -> reader.read(reader.tensors().get(0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("only list");
        }
    }

    @Test
    void reEncodingTheRealIndexReproducesTensorFlowsBytes() throws Exception {
        // The index encoder (used when a fixture is saved in groups) writes what TF's BundleWriter wrote.
        BundleIndex index = BundleIndex.parse(INDEX, GoldenData.REAL_INDEX);
        assertThat(index.encode()).isEqualTo(INDEX);
    }
}
