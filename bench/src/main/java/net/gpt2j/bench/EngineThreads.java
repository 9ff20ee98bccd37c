package net.gpt2j.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Which engine and how many intra-op threads it runs: every speed figure depends on it. */
final class EngineThreads {

    static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private EngineThreads() {}

    /** E.g. "PyTorch 2.7.1, 2 intra-op threads (torch's default; -Dai.djl.pytorch.num_threads unset), 2 cpus". */
    static String describe() {
        Engine engine = Engine.getEngine("PyTorch"); // starts the engine, so torch's count below is the real one
        String chosen = System.getProperty(PROPERTY);
        return String.format("%s %s, %d intra-op threads (%s), %d cpus", engine.getEngineName(), engine.getVersion(),
                JniUtils.getNumThreads(),
                chosen == null ? "torch's default; -D" + PROPERTY + " unset" : "-D" + PROPERTY + "=" + chosen,
                Runtime.getRuntime().availableProcessors());
    }
}
