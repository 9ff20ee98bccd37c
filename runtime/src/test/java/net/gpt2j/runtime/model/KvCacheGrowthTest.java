package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generation's cache starts small and grows on demand (doubling, up to n_ctx): the steps after each
 * growth give the logits a full forward of the same tokens gives, and the arrays never outgrow n_ctx.
 */
class KvCacheGrowthTest {

    private static final Hparams SMALL_WIDE_CONTEXT = new Hparams(512, 640, 64, 4, 2);
    private static Gpt2Model model;

    @BeforeAll
    static void load() {
        model = Gpt2Model.load(WeightSource.of(RandomWeights.of(SMALL_WIDE_CONTEXT, 17, 0.1f)), SMALL_WIDE_CONTEXT, ModelConfig.DEFAULT,
                DeviceChoice.CPU);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void startsAtTwiceThePromptAtLeast128SlotsThenDoublesUpToNCtx() {
        try (KvCache cache = model.newCache(1, 3)) {
            assertThat(cache.slots()).isEqualTo(128);
            cache.ensureSlots(128);
            assertThat(cache.slots()).isEqualTo(128);
            cache.ensureSlots(129);
            assertThat(cache.slots()).isEqualTo(256);
            cache.ensureSlots(600);
            assertThat(cache.slots()).isEqualTo(600);
            cache.ensureSlots(601);
            assertThat(cache.slots()).as("never above n_ctx").isEqualTo(640);
            cache.ensureSlots(641);
            assertThat(cache.slots()).as("beyond n_ctx the mask refuses, the arrays stay").isEqualTo(640);
        }
        try (KvCache cache = model.newCache(2, 100)) {
            assertThat(cache.slots()).isEqualTo(256);
        }
        try (KvCache cache = model.newCache(1, 500)) {
            assertThat(cache.slots()).isEqualTo(640);
        }
    }

    @Test
    void stepsAcrossTwoGrowthsGiveAFullForwardsLogits() {
        Random random = new Random(5);
        int total = 300; // a 3-token prompt: 128 slots, grown to 256 at 129 and to 512 at 257
        int[] sequence = new int[total];
        for (int i = 0; i < total; i++) {
            sequence[i] = random.nextInt(SMALL_WIDE_CONTEXT.nVocab());
        }
        float[][] full = model.logits(new int[][] {sequence}, null)[0];
        try (KvCacheDecoder decoder = model.newDecoder()) {
            float[][] next = decoder.prefill(new int[][] {java.util.Arrays.copyOf(sequence, 3)}, null);
            for (int p = 3; p < total; p++) {
                next = decoder.step(new int[] {sequence[p]});
                float[] expected = full[p];
                for (int v = 0; v < expected.length; v++) {
                    assertThat((double) next[0][v]).as("position %d, logit %d", p, v)
                            .isCloseTo(expected[v], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void aSequenceBeyondNCtxIsRefusedWithTheNCtxMessage() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefill(new int[][] {new int[600]}, null);
            for (int p = 600; p < 640; p++) {
                decoder.step(new int[] {1});
            }
            assertThatThrownBy(() -> decoder.step(new int[] {1})).hasMessageContaining("n_ctx = 640");
        }
    }
}
