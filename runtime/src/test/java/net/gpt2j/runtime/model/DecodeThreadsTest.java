package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.runtime.generate.NextTokenLogits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A decode step's thread count ({@link DecodeThreads}): set on the calling thread for the step and
 * restored after it, even when the step fails; and, what makes choosing it by speed sound, the same
 * logits bit for bit on one thread as on several.
 */
class DecodeThreadsTest {

    private static final int CALLERS = 2;
    private int before;

    @BeforeEach
    void twoThreadsOnThisThread() {
        Engine.getEngine("PyTorch"); // loads the natives
        before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(CALLERS); // libtorch's setting is per thread: this test's own
    }

    @AfterEach
    void restore() {
        JniUtils.setNumThreads(before);
        System.clearProperty(DecodeThreads.PROPERTY);
    }

    private NDManager manager;

    @BeforeEach
    void manager() {
        manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /**
     * A stand-in for a decode step that notes the thread count it ran on and returns logits that are
     * the same on every count, or (with {@code countInTheBits}) differ in the last bits by count.
     */
    private Supplier<NDArray> step(List<Integer> seen, boolean countInTheBits) {
        return () -> {
            int threads = JniUtils.getNumThreads();
            seen.add(threads);
            float last = countInTheBits ? Math.nextUp(1f + threads) : 1f;
            return manager.create(new float[] {0.5f, last});
        };
    }

    @Test
    void aFixedCountHoldsForTheStepAndTheCallersCountComesBack() {
        DecodeThreads threads = new DecodeThreads(Device.cpu(), "1");
        List<Integer> seen = new ArrayList<>();
        threads.run(1, step(seen, false));
        assertThat(seen).containsExactly(1);
        assertThat(JniUtils.getNumThreads()).isEqualTo(CALLERS);
        assertThat(threads.describe()).isEqualTo("decode threads: 1 (" + DecodeThreads.PROPERTY + ")");
    }

    @Test
    void theCallersCountComesBackWhenTheStepFails() {
        DecodeThreads threads = new DecodeThreads(Device.cpu(), "1");
        assertThatThrownBy(() -> threads.run(1, () -> {
            throw new IllegalStateException("step failed");
        })).hasMessage("step failed");
        assertThat(JniUtils.getNumThreads()).isEqualTo(CALLERS);
    }

    @Test
    void autoComparesOneStepOnBothCountsThenTimesBothThenKeepsOnePerBatchSize() {
        DecodeThreads threads = new DecodeThreads(Device.cpu(), "auto");
        List<Integer> seen = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            NDArray logits = threads.run(1, step(seen, false));
            assertThat(logits.toFloatArray()).containsExactly(0.5f, 1f);
        }
        assertThat(seen.subList(0, 2)).as("the check: one thread, then all").containsExactly(1, CALLERS);
        assertThat(seen.subList(2, 8)).as("the timed steps").containsExactly(1, CALLERS, CALLERS, 1, 1, CALLERS);
        assertThat(seen.subList(8, 11)).containsOnly(seen.get(8));
        assertThat(threads.describe()).startsWith("decode threads: auto; 1 row: ").contains(" of " + CALLERS + " threads (fastest");
        threads.run(5, step(seen, false));
        assertThat(seen.subList(11, 13)).as("5 rows start their own trial").containsExactly(1, CALLERS);
        assertThat(threads.describe()).contains("; 5 rows: trying 1 and 2 threads (0 of 6 steps timed)");
        assertThat(JniUtils.getNumThreads()).isEqualTo(CALLERS);
    }

    @Test
    void autoKeepsAllThreadsWhenOneThreadsLogitsDifferInTheLastBits() {
        DecodeThreads threads = new DecodeThreads(Device.cpu(), "auto");
        List<Integer> seen = new ArrayList<>();
        NDArray first = threads.run(1, step(seen, true));
        assertThat(first.toFloatArray()).as("the all-thread result is the one kept")
                .containsExactly(0.5f, Math.nextUp(1f + CALLERS));
        for (int s = 0; s < 8; s++) {
            threads.run(1, step(seen, true));
        }
        assertThat(seen).containsExactly(1, CALLERS, CALLERS, CALLERS, CALLERS, CALLERS, CALLERS, CALLERS, CALLERS,
                CALLERS);
        assertThat(threads.describe()).isEqualTo("decode threads: auto; 1 row: " + CALLERS + " of " + CALLERS
                + " threads (one thread's logits differed in the last bits: not chosen by speed)");
    }

    @Test
    void autoOnOneDnnProductsRunsEveryStepOnTheCallersCountWithoutATrialButANumberStillHolds() {
        DecodeThreads threads = new DecodeThreads(Device.cpu(), "auto").forProducts(true);
        List<Integer> seen = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            threads.run(1, step(seen, false));
        }
        threads.run(5, step(seen, false));
        assertThat(seen).as("no step run twice, none on one thread").containsExactly(CALLERS, CALLERS, CALLERS, CALLERS,
                CALLERS);
        assertThat(threads.describe()).isEqualTo("decode threads: auto; all, untried: oneDNN's products split a row"
                + " across threads, so the count would change the bits");
        seen.clear();
        new DecodeThreads(Device.cpu(), "1").forProducts(true).run(1, step(seen, false));
        assertThat(seen).containsExactly(1);
    }

    @Test
    void allAndTheGpuLeaveTheCallersCount() {
        List<Integer> seen = new ArrayList<>();
        new DecodeThreads(Device.cpu(), "all").run(1, step(seen, false));
        new DecodeThreads(Device.gpu(), "1").run(1, step(seen, false));
        assertThat(seen).containsExactly(CALLERS, CALLERS);
    }

    @Test
    void aWrongSettingIsOneLineNamingTheSetting() {
        assertThatThrownBy(() -> new DecodeThreads(Device.cpu(), "two")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(DecodeThreads.PROPERTY + " (or " + DecodeThreads.ENV
                        + ") is 'two': expected auto, all or a thread count of at least 1");
        assertThatThrownBy(() -> new DecodeThreads(Device.cpu(), "0")).hasMessageContaining("is '0'");
    }

    @Test
    void theModelReadsThePropertyAtLoad() {
        System.setProperty(DecodeThreads.PROPERTY, "3");
        try (Gpt2Model model = GoldenFixture.of("tiny").load(ModelConfig.DEFAULT)) {
            assertThat(model.decodeThreads()).isEqualTo("decode threads: 3 (" + DecodeThreads.PROPERTY + ")");
        }
        System.setProperty(DecodeThreads.PROPERTY, "auto");
        try (Gpt2Model model = GoldenFixture.of("tiny").load(ModelConfig.DEFAULT)) {
            assertThat(model.decodeThreads()).as("the model tells its policy which kernel its products run on")
                    .startsWith(model.oneDnnProducts() ? "decode threads: auto; all, untried" : "decode threads: auto; no");
        }
        System.setProperty(DecodeThreads.PROPERTY, "many");
        assertThatThrownBy(() -> GoldenFixture.of("tiny").load(ModelConfig.DEFAULT))
                .hasMessageContaining("is 'many'");
    }

    /**
     * What lets {@code auto} choose one thread for a batch-1 step on the machines this project runs
     * on: 124M's width and heads (the products' sizes, which BLAS splits across threads), two blocks, a
     * smaller vocabulary, 80 steps past the small-attention bound, every step's logits the same bits on
     * one thread as on two, on BLAS's products. (With 5 rows they are not, here: BLAS blocks the rows
     * per thread count, which {@code auto}'s first-step check catches. Nor are they on oneDNN's
     * products, which split one row's product across threads: {@code auto} then keeps all threads,
     * {@code CpuProductsTest}.)
     */
    @Test
    void oneThreadGivesABatchOneStepTheSameLogitsBitForBitAsTwoOnBlas() {
        Hparams h = new Hparams(8192, 1024, 768, 12, 2);
        List<MappedTensor> tensors = RandomWeights.of(h, 11, 0.05f);
        System.setProperty(CpuProducts.PROPERTY, "blas");
        try {
            List<float[][]> one = steps(tensors, h, "1", 1);
            List<float[][]> two = steps(tensors, h, "all", 1);
            for (int s = 0; s < one.size(); s++) {
                assertThat(two.get(s)[0]).as("step %d", s).containsExactly(one.get(s)[0]);
            }
        } finally {
            System.clearProperty(CpuProducts.PROPERTY);
        }
    }

    private static List<float[][]> steps(List<MappedTensor> tensors, Hparams h, String setting, int rows) {
        System.setProperty(DecodeThreads.PROPERTY, setting);
        List<float[][]> out = new ArrayList<>();
        try (Gpt2Model model = Gpt2Model.load(WeightSource.of(tensors), h, ModelConfig.DEFAULT, DeviceChoice.CPU);
                KvCacheDecoder decoder = model.newDecoder()) {
            int[][] prompt = new int[rows][];
            for (int r = 0; r < rows; r++) {
                prompt[r] = new int[] {11 + r, 464, 3290, 318};
            }
            NextTokenLogits logits = decoder.prefillLogits(prompt, null);
            for (int s = 0; s < 80; s++) {
                logits = decoder.stepLogits(logits.top2().argmax());
                out.add(logits.toHost());
            }
        }
        return out;
    }
}
