package net.gpt2j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One sum over a 500 MB float32 array (torch's vectorised, threaded reduction): how fast this
 * machine reads memory through one torch op right now, a gauge of how busy it is. Not a bound on a
 * step: oneDNN's products stream the step's weights faster than this sum reads (README, "Decode").
 */
final class MemoryReadLimit implements AutoCloseable {

    static final long BYTES = 500_000_000L;

    private final NDManager manager;
    private final NDArray array;

    MemoryReadLimit() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
        array = manager.ones(new Shape(BYTES / Float.BYTES)); // ones: every page really allocated and written
    }

    /** Seconds for one full read. */
    double seconds() {
        try (NDManager scratch = manager.newSubManager()) {
            long start = System.nanoTime();
            NDArray sum = array.sum();
            sum.attach(scratch);
            float value = sum.getFloat();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!(value > 0)) {
                throw new IllegalStateException("sum of ones gave " + value);
            }
            return seconds;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
