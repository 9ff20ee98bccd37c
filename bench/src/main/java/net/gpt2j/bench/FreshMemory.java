package net.gpt2j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * How fast this machine hands a process new memory: one torch {@code ones} over 256 MB, above
 * glibc's mmap threshold (the launcher's 32 MB), so every run gets new pages and writes each once. A
 * gauge of the machine, beside the runs it explains: a model's load copies its weights into new
 * memory, and on a VM that charges each first touch (docs/PERFORMANCE-CLI.md, item 7) the load and a
 * process's first steps pay for it where a warm process does not.
 */
final class FreshMemory {

    static final long BYTES = 256L << 20;
    static final long PAGE = 4096;

    private FreshMemory() {}

    /** MB/s of one allocation and first write of {@link #BYTES}; the array is freed (unmapped) after. */
    static double megabytesPerSecond() {
        try (NDManager scratch = Engine.getEngine("PyTorch").newBaseManager()) {
            long start = System.nanoTime();
            NDArray ones = scratch.ones(new Shape(BYTES / Float.BYTES));
            double seconds = (System.nanoTime() - start) / 1e9;
            float last = ones.get(BYTES / Float.BYTES - 1).getFloat();
            if (last != 1f) {
                throw new IllegalStateException("torch's ones ended with " + last);
            }
            return BYTES / 1e6 / seconds;
        }
    }

    /** Microseconds per 4 KB page at {@code megabytesPerSecond}. */
    static double microsecondsPerPage(double megabytesPerSecond) {
        return PAGE / (megabytesPerSecond * 1e6) * 1e6;
    }
}
