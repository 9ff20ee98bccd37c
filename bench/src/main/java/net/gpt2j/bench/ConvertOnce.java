package net.gpt2j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.converter.Converter;

/**
 * The child process of {@code bench/run convert}: converts {@code SRC} into {@code OUT} (the hub
 * folder, replacing OUT) and prints one {@link #RESULT_PREFIX} line with its own time and memory.
 * A process of its own so its peak memory is the conversion's alone, not the benchmark's.
 *
 * <p>Memory is sampled every 10 ms beside the kernel's peak (VmHWM), split into anonymous memory
 * (heap, native buffers: what the conversion really holds) and file-backed pages (the
 * memory-mapped checkpoint: page cache, counted in RSS while mapped, droppable by the kernel).
 */
public final class ConvertOnce {

    static final String RESULT_PREFIX = "convert-once:";
    /** One line per phase the converter announces: {@code convert-phase: seconds=S name=DESCRIPTION}. */
    static final String PHASE_PREFIX = "convert-phase:";

    private ConvertOnce() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ConvertOnce SRC_CHECKPOINT_DIR OUT_DIR");
            System.exit(2);
        }
        PeakSampler sampler = new PeakSampler();
        sampler.start();
        PhaseClock phases = new PhaseClock();
        long start = System.nanoTime();
        new Converter(phases).convert(Path.of(args[0]), Path.of(args[1]), true);
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        sampler.stop();
        phases.print(end);
        ProcStatus status = ProcStatus.read();
        System.out.printf("%s seconds=%.3f hwm_kb=%d peak_anon_kb=%d peak_file_kb=%d max_heap_mb=%d%n", RESULT_PREFIX,
                seconds, status.hwmKb(), sampler.peakAnonKb, sampler.peakFileKb,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /**
     * Where the time goes: the converter announces its phases (open and check, convert tensors, and,
     * only if the source hashing that runs beside the tensors outlasts them, the wait for it); each
     * lasts until the next begins, the last until the folder is committed (config, manifest, rename).
     * Names do not depend on which phase is last, so the benchmark lines them up across runs.
     */
    private static final class PhaseClock implements ConversionListener {
        private final List<String> names = new ArrayList<>();
        private final List<Long> starts = new ArrayList<>();

        @Override
        public void phase(String description, long totalBytes) {
            names.add(description.startsWith("reading ") ? "open the source, check index and encoder"
                    : description.startsWith("hashing ") ? "wait for the source hashing (runs beside the tensors)"
                    : description);
            starts.add(System.nanoTime());
        }

        void print(long end) {
            for (int i = 0; i < names.size(); i++) {
                long until = i + 1 < starts.size() ? starts.get(i + 1) : end;
                System.out.printf("%s seconds=%.3f name=%s%n", PHASE_PREFIX, (until - starts.get(i)) / 1e9, names.get(i));
            }
        }
    }

    /** Polls /proc/self/status on a daemon thread and keeps the largest anonymous and file-backed RSS. */
    private static final class PeakSampler implements Runnable {
        private final Thread thread = new Thread(this, "rss-sampler");
        private volatile boolean running = true;
        private volatile long peakAnonKb;
        private volatile long peakFileKb;

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            sample();
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            ProcStatus s = ProcStatus.read();
            peakAnonKb = Math.max(peakAnonKb, s.anonKb());
            peakFileKb = Math.max(peakFileKb, s.fileKb());
        }
    }
}
