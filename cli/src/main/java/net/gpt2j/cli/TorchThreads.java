package net.gpt2j.cli;

/**
 * How many threads libtorch uses. Generation on a real model gains from torch's default (one per
 * core), but the kit's many small fixture models do not: on these 2-core machines OpenMP workers
 * spinning against the JVM made each tiny-model decode step 30x slower (45 ms instead of 1.5 ms).
 * So verification commands use one thread unless the user chose (GPT2_TORCH_THREADS or
 * -Dai.djl.pytorch.num_threads).
 */
final class TorchThreads {

    static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private TorchThreads() {}

    /** Must run before the engine starts (DJL reads the property once). */
    static void oneUnlessChosen() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "1");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
