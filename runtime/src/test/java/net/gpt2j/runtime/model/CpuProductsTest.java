package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.Tolerances;
import net.gpt2j.kit.check.CheckResult;
import net.gpt2j.kit.check.LogitsCheck;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;
import net.gpt2j.runtime.generate.NextTokenLogits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU's matrix-product kernel ({@link CpuProducts}): the setting, the decision at load, and that
 * both kernels reproduce HuggingFace's goldens and agree with each other to float rounding. The rest
 * of the suite runs on the default (oneDNN here); this class is where BLAS keeps its coverage.
 */
class CpuProductsTest {

    @AfterEach
    void clear() {
        System.clearProperty(CpuProducts.PROPERTY);
    }

    @Test
    void aWrongSettingIsOneLineNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> new CpuProducts("mkl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gpt2j.cpu_products (or GPT2_CPU_PRODUCTS) is 'mkl': expected auto, onednn or blas");
        assertThat(new CpuProducts(" OneDNN ").wantsOneDnn(false)).isTrue();
    }

    @Test
    void theDecisionNamesTheKernelAndWhy() {
        assertThat(new CpuProducts("auto").decide(false, null))
                .isEqualTo(new CpuProducts.Decision(true, "matrix products: oneDNN (auto; gpt2j.cpu_products=blas for BLAS)"));
        assertThat(new CpuProducts("blas").wantsOneDnn(false)).isFalse();
        assertThat(new CpuProducts("blas").decide(false, null).oneDnn()).isFalse();
        assertThat(new CpuProducts("auto").wantsOneDnn(true)).isFalse();
        assertThat(new CpuProducts("onednn").decide(true, null).description())
                .isEqualTo("matrix products: the GPU's BLAS (gpt2j.cpu_products applies to the CPU only)");
        CpuProducts.Decision fallback = new CpuProducts("auto").decide(false, "RuntimeException: no mkldnn");
        assertThat(fallback.oneDnn()).isFalse();
        assertThat(fallback.description()).isEqualTo(
                "matrix products: BLAS (auto: this libtorch cannot run oneDNN's linear: RuntimeException: no mkldnn)");
        assertThatThrownBy(() -> new CpuProducts("onednn").decide(false, "RuntimeException: no mkldnn"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("gpt2j.cpu_products=onednn, but this libtorch cannot run oneDNN's linear: RuntimeException: no mkldnn");
    }

    @Test
    void onAnX86CpuAutoRunsOneDnnAndThePropertyIsReadAtLoad() {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "libtorch's x86 builds carry oneDNN; this is " + arch);
        try (Gpt2Model model = GoldenFixture.of("tiny").load(ModelConfig.DEFAULT)) {
            assertThat(model.oneDnnProducts()).isTrue();
            assertThat(model.matrixProducts()).isEqualTo("matrix products: oneDNN (auto; gpt2j.cpu_products=blas for BLAS)");
        }
        System.setProperty(CpuProducts.PROPERTY, "blas");
        try (Gpt2Model model = GoldenFixture.of("tiny").load(ModelConfig.DEFAULT)) {
            assertThat(model.oneDnnProducts()).isFalse();
            assertThat(model.matrixProducts()).isEqualTo("matrix products: BLAS (gpt2j.cpu_products=blas)");
        }
        System.setProperty(CpuProducts.PROPERTY, "fast");
        assertThatThrownBy(() -> GoldenFixture.of("tiny").load(ModelConfig.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("gpt2j.cpu_products (or GPT2_CPU_PRODUCTS) is 'fast'");
    }

    /** Each kernel alone passes the kit's logits check on every golden case (the suite's other tests run one). */
    @ParameterizedTest
    @ValueSource(strings = {"blas", "onednn"})
    void eachKernelReproducesHuggingFacesLogits(String kernel) {
        System.setProperty(CpuProducts.PROPERTY, kernel);
        double tolerance = Tolerances.fromSystemProperties().logitsAbs();
        for (String name : List.of("tiny", "odd")) {
            ModelGolden golden = GoldenLoader.packaged(GoldenData.modelGolden(GoldenFixture.HF, name), ModelGolden.class);
            try (Gpt2Model model = GoldenFixture.of(name).load(ModelConfig.DEFAULT)) {
                assertThat(model.oneDnnProducts()).isEqualTo(kernel.equals("onednn"));
                for (ModelGolden.LogitsCase c : golden.logits()) {
                    CheckResult result = LogitsCheck.check(c, model.logits(new int[][] {c.inputIds()}, null)[0], tolerance);
                    assertThat(result.ok()).as(() -> kernel + " " + name + ": " + result.report()).isTrue();
                }
            }
        }
    }

    /**
     * The two kernels differ in the last bits only: a 3-row left-padded prefill and 40 cached steps
     * of the fixture agree to 1e-5 (logits of order 1), row by row and step by step. And they do
     * differ somewhere, so the setting reaches the script (their sums run in different orders).
     */
    @Test
    void theKernelsAgreeToFloatRoundingThroughPrefillAndSteps() {
        List<float[][]> blas = generation("blas");
        List<float[][]> oneDnn = generation("onednn");
        assertThat(oneDnn).hasSameSizeAs(blas);
        boolean anyBitDiffers = false;
        for (int s = 0; s < blas.size(); s++) {
            for (int r = 0; r < blas.get(s).length; r++) {
                Gpt2ModelGoldenLogitsTest.assertClose(oneDnn.get(s)[r], blas.get(s)[r], 1e-5, "step " + s + " row " + r);
                anyBitDiffers |= !java.util.Arrays.equals(oneDnn.get(s)[r], blas.get(s)[r]);
            }
        }
        assertThat(anyBitDiffers).as("oneDNN's logits differ from BLAS's in some bit").isTrue();
    }

    /** Every step's logits for the same token choices (row r picks token 100 + 7s + r) on {@code kernel}. */
    private static List<float[][]> generation(String kernel) {
        System.setProperty(CpuProducts.PROPERTY, kernel);
        List<float[][]> out = new ArrayList<>();
        int[][] prompt = {{0, 0, 464, 3290}, {11, 318, 257, 922}, {0, 40, 1101, 2}};
        int[][] mask = {{0, 0, 1, 1}, {1, 1, 1, 1}, {0, 1, 1, 1}};
        try (Gpt2Model model = GoldenFixture.of("tiny").load(ModelConfig.DEFAULT);
                KvCacheDecoder decoder = model.newDecoder()) {
            NextTokenLogits logits = decoder.prefillLogits(prompt, mask);
            out.add(logits.toHost());
            for (int s = 0; s < 40; s++) {
                logits = decoder.stepLogits(new int[] {100 + 7 * s, 101 + 7 * s, 102 + 7 * s});
                out.add(logits.toHost());
            }
        }
        return out;
    }
}
