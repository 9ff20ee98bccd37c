package net.gpt2j.cli;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import net.gpt2j.format.Hparams;

/**
 * Refuses, before any step runs, a generation request whose memory cannot exist: the KV cache is
 * preallocated per row at the model's full context ({@code 2 x n_layer x rows x n_ctx x n_embd}
 * floats, in the engine's native memory), and every step holds a few copies of each row's logits on
 * the Java heap (raw, processed, log-softmax, candidates). Rows are prompts x beams (or x return
 * sequences when sampling). Without this, {@code --num-beams 60000} ran for a minute and died with an
 * {@link OutOfMemoryError}.
 */
final class RequestBudget {

    /** Copies of one row's logits alive at once during a step (logits, processed scores, softmax, beam candidates). */
    static final int LOGIT_COPIES = 4;

    private RequestBudget() {}

    static void check(Hparams hp, int rows, String rowsExplained) {
        long kvBytes = 2L * hp.nLayer() * rows * (long) hp.nCtx() * hp.nEmbd() * Float.BYTES;
        long logitBytes = (long) rows * hp.nVocab() * Float.BYTES * LOGIT_COPIES;
        long physical = physicalMemory();
        long heap = Runtime.getRuntime().maxMemory();
        if (physical > 0 && kvBytes > physical) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s = %,d rows need a %s KV cache (2 x %d layers x %d positions x %d x 4 bytes per row), more than "
                    + "this machine's %s of memory; ask for fewer rows", rowsExplained, rows, size(kvBytes), hp.nLayer(),
                    hp.nCtx(), hp.nEmbd(), size(physical)));
        }
        if (logitBytes > heap) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s = %,d rows need about %s of Java heap for each step's logits (%d copies of %,d floats per row), "
                    + "more than the %s heap; ask for fewer rows or raise it, e.g. GPT2_JAVA_OPTS=-Xmx%dg",
                    rowsExplained, rows, size(logitBytes), LOGIT_COPIES, hp.nVocab(), size(heap),
                    Math.max(2, (logitBytes >> 30) + 2)));
        }
    }

    private static long physicalMemory() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        } catch (ClassCastException | LinkageError e) {
            return -1; // a JVM without the extension: only the heap is checked
        }
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }
}
