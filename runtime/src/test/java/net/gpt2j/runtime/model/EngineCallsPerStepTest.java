package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.gpt2j.runtime.generate.NextTokenLogits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How many engine calls a decode step issues: on a GPU each costs a JNI crossing and a kernel launch
 * or more, so the count, not the arithmetic, sets the step's time. The forward pass is one
 * TorchScript call ({@link ScriptedForward}), so the count does not grow with the model's depth;
 * these pin it: an engine call added to the step shows up here.
 */
class EngineCallsPerStepTest {

    /**
     * A batch-1 step: three argument lists built (token ids, positions, shape), the script's call,
     * and the logits taken from its result. No attention bias: one query with no padding hides
     * nothing.
     */
    static final int PER_STEP = 5;

    private static GoldenFixture fixture;
    private static Gpt2Model model;

    @BeforeAll
    static void load() {
        fixture = GoldenFixture.of("odd");
        model = fixture.load(ModelConfig.DEFAULT);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aBatchOneDecodeStepIssuesTheCountedCallsAndNoMask() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefillLogits(new int[][] {{3, 1, 4, 1, 5}}, null);
            long before = model.engineCalls();
            decoder.stepLogits(new int[] {9});
            long calls = model.engineCalls() - before;
            assertThat(calls).as("engine calls of one batch-1 step, %d blocks", fixture.hparams.nLayer())
                    .isEqualTo(PER_STEP);
        }
    }

    @Test
    void aStepCostsTheSameCallsWhateverTheCacheHolds() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefillLogits(new int[][] {{3, 1, 4, 1, 5, 9, 2, 6}}, null);
            long first = stepCalls(decoder, 7);
            for (int i = 0; i < 5; i++) {
                stepCalls(decoder, i);
            }
            assertThat(stepCalls(decoder, 8)).isEqualTo(first);
        }
    }

    /** As on a GPU: one topk for the whole batch (on the CPU greedy reads the logits in place instead). */
    @Test
    void greedysArgmaxOnTheDeviceIsOneTopkForTheWholeBatch() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.useTopkOnTheCpu();
            NextTokenLogits logits = decoder.prefillLogits(new int[][] {{3, 1, 4}, {1, 5, 9}}, null);
            float[][] host = logits.toHost();
            long before = model.engineCalls();
            NextTokenLogits.Top2 top = logits.top2();
            assertThat(model.engineCalls() - before).isEqualTo(1);
            for (int r = 0; r < host.length; r++) {
                assertThat(top.argmax()[r]).isEqualTo(net.gpt2j.runtime.generate.ScoreMath.argmax(host[r]));
                assertThat(top.gap()[r]).isEqualTo(net.gpt2j.runtime.generate.ScoreMath.top2Gap(host[r]));
            }
        }
    }

    @Test
    void greedysArgmaxOnTheCpuIsReadInPlaceWithNoEngineCallAndNoCopy() {
        try (KvCacheDecoder decoder = model.newDecoder()) {
            NextTokenLogits logits = decoder.prefillLogits(new int[][] {{3, 1, 4}, {1, 5, 9}}, null);
            float[][] host = logits.toHost();
            long before = model.engineCalls();
            long copies = decoder.hostCopies();
            NextTokenLogits.Top2 top = logits.top2();
            assertThat(model.engineCalls() - before).isZero();
            assertThat(decoder.hostCopies()).isEqualTo(copies);
            for (int r = 0; r < host.length; r++) {
                assertThat(top.argmax()[r]).isEqualTo(net.gpt2j.runtime.generate.ScoreMath.argmax(host[r]));
                assertThat(top.gap()[r]).isEqualTo(net.gpt2j.runtime.generate.ScoreMath.top2Gap(host[r]));
            }
        }
    }

    private static long stepCalls(KvCacheDecoder decoder, int token) {
        long before = model.engineCalls();
        decoder.stepLogits(new int[] {token});
        return model.engineCalls() - before;
    }
}
