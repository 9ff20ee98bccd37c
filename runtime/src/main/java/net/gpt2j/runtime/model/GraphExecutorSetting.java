package net.gpt2j.runtime.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Whether libtorch's graph executor optimises the TorchScript forward: off unless the user set DJL's
 * own switch, {@code -Dai.djl.pytorch.graph_optimizer=true}.
 *
 * <p>Off, the script runs op by op as written: the same kernels as PyTorch's eager mode, so results
 * on a GPU do not depend on a fuser's code generation, and no call stalls to profile or recompile
 * when the cache's length changes the attention's shapes at every step (DJL's own advice for inputs
 * whose shapes vary). On the CPU the two settings measured alike (README, "Benchmarks"). libtorch
 * keeps the setting per thread, so it is applied once on each thread that runs the forward.
 */
final class GraphExecutorSetting {

    static final String PROPERTY = "ai.djl.pytorch.graph_optimizer";

    private static final ThreadLocal<Boolean> APPLIED = ThreadLocal.withInitial(() -> false);

    private GraphExecutorSetting() {}

    /** Whether the graph executor optimises the forward: the user's {@link #PROPERTY}, false when unset. */
    static boolean optimise() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "false"));
    }

    static void applyOnThisThread() {
        if (!APPLIED.get()) {
            JniUtils.setGraphExecutorOptimize(optimise());
            APPLIED.set(true);
        }
    }
}
