package net.gpt2j.runtime.model;

import java.util.Locale;

/**
 * Which kernel the forward's matrix products run on, on the CPU: oneDNN (libtorch's
 * {@code mkldnn::_linear_pointwise}, the op PyTorch's own compiler emits for a CPU linear) or BLAS
 * ({@code addmm}/{@code mm}, MKL in DJL's libtorch, the call HuggingFace's Conv1D makes).
 *
 * <p>Why oneDNN by default: MKL picks its kernels by CPU vendor and gives AMD's AVX-512 cores its AVX2
 * ones, where oneDNN picks by the instruction sets the CPU reports. On this project's machines
 * (AMD EPYC, AVX-512) oneDNN ran the 128-token forward's products 2-2.7x faster and streamed a decode
 * step's weights about 1.5x faster on two threads (docs/DECISIONS.md, "oneDNN for the CPU's products",
 * with the commands). Both accumulate in float32; they differ from each other, and from HF, in the
 * last bits only (the goldens' tolerances hold on both, {@code CpuProductsTest}).
 *
 * <p>{@value #PROPERTY} (or the environment's {@value #ENV}): {@code auto} (oneDNN if this libtorch
 * runs it, checked at load, else BLAS), {@code onednn} (fail at load if it cannot) or {@code blas}.
 * GPUs always use their BLAS (cuBLAS): the setting applies to the CPU only.
 */
final class CpuProducts {

    static final String PROPERTY = "gpt2j.cpu_products";
    static final String ENV = "GPT2_CPU_PRODUCTS";

    /** The setting, lower-cased: {@code auto}, {@code onednn} or {@code blas}. */
    private final String setting;

    CpuProducts(String setting) {
        this.setting = setting.trim().toLowerCase(Locale.ROOT);
        if (!this.setting.equals("auto") && !this.setting.equals("onednn") && !this.setting.equals("blas")) {
            throw new IllegalArgumentException(PROPERTY + " (or " + ENV + ") is '" + setting
                    + "': expected auto, onednn or blas");
        }
    }

    CpuProducts() {
        this(configured());
    }

    /** The user's setting: the property, else the environment variable, else {@code auto}. */
    static String configured() {
        return UserSetting.read(PROPERTY, ENV);
    }

    /** Whether oneDNN should be tried at all on this device. */
    boolean wantsOneDnn(boolean gpu) {
        return !gpu && !setting.equals("blas");
    }

    /**
     * The decision, once the load has tried oneDNN ({@code probeFailure} null: it ran and gave the
     * right product; else why not). Throws when {@code onednn} was asked for and cannot run.
     */
    Decision decide(boolean gpu, String probeFailure) {
        if (gpu) {
            return new Decision(false, "matrix products: the GPU's BLAS (" + PROPERTY + " applies to the CPU only)");
        }
        if (setting.equals("blas")) {
            return new Decision(false, "matrix products: BLAS (" + PROPERTY + "=blas)");
        }
        if (probeFailure == null) {
            return new Decision(true, "matrix products: oneDNN (" + setting + "; " + PROPERTY + "=blas for BLAS)");
        }
        if (setting.equals("onednn")) {
            throw new IllegalStateException(PROPERTY + "=onednn, but this libtorch cannot run oneDNN's linear: "
                    + probeFailure);
        }
        return new Decision(false, "matrix products: BLAS (auto: this libtorch cannot run oneDNN's linear: "
                + probeFailure + ")");
    }

    /** What the forward uses, and the line {@code -v} and the benchmarks print. */
    record Decision(boolean oneDnn, String description) {}
}
