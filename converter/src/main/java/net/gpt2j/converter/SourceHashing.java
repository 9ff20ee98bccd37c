package net.gpt2j.converter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import net.gpt2j.converter.source.SourceFile;

/**
 * Fingerprints the source files (their sha256s, for manifest.json) on a second thread while the
 * tensors convert on the first. Hashing the 124M shard (498 MB) takes about 0.33 s, as long as the
 * conversion itself; one after the other, each waited for the other.
 *
 * <p>The listener hears nothing of the hashing while the tensors convert (their progress is what
 * it shows); {@link #await()} then announces the hashing phase if it is still running, with its
 * progress from there. {@link #close()} interrupts a hashing that is not awaited (the conversion
 * failed) and waits for its thread, so nothing reads the source after the converter returns.
 */
final class SourceHashing implements AutoCloseable {

    private final Gate gate;
    private final FutureTask<List<SourceFile>> task;
    private final Thread thread;

    private SourceHashing(Gate gate, FutureTask<List<SourceFile>> task) {
        this.gate = gate;
        this.task = task;
        this.thread = new Thread(task, "source-hashing");
        thread.setDaemon(true);
    }

    static SourceHashing start(ConversionInput.Fingerprints fingerprints, ConversionListener listener) {
        Gate gate = new Gate(listener);
        SourceHashing h = new SourceHashing(gate, new FutureTask<>(() -> fingerprints.compute(gate)));
        h.thread.start();
        return h;
    }

    /** Waits for the fingerprints, reporting the rest of the hashing to the listener. */
    List<SourceFile> await() throws IOException {
        gate.open(!task.isDone());
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw BackgroundFailure.rethrow(e, "hashing the source files");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing the source files", e);
        } catch (CancellationException e) {
            throw new IOException("hashing the source files was cancelled", e);
        }
    }

    @Override
    public void close() {
        task.cancel(true);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The listener the hashing thread reports to: silent until opened, then it replays the phase
     * announced so far and forwards what follows. Synchronized, so the replay comes before any
     * forwarded progress; warnings wait for the opening too, so the listener is never called from
     * two threads at once.
     */
    private static final class Gate implements ConversionListener {
        private final ConversionListener target;
        private boolean open;
        private String phase;
        private long phaseTotal;
        private long done = -1;
        private String item;
        private final List<String> warnings = new ArrayList<>();

        Gate(ConversionListener target) {
            this.target = target;
        }

        /** @param showPhase whether the hashing still runs, so its phase is worth showing */
        synchronized void open(boolean showPhase) {
            open = true;
            warnings.forEach(target::warning);
            if (showPhase && phase != null) {
                target.phase(phase, phaseTotal);
                if (done >= 0) {
                    target.progress(done, item);
                }
            }
        }

        @Override
        public synchronized void phase(String description, long totalBytes) {
            phase = description;
            phaseTotal = totalBytes;
            done = -1;
            if (open) {
                target.phase(description, totalBytes);
            }
        }

        @Override
        public synchronized void progress(long bytesDone, String item) {
            this.done = bytesDone;
            this.item = item;
            if (open) {
                target.progress(bytesDone, item);
            }
        }

        @Override
        public synchronized void warning(String message) {
            if (open) {
                target.warning(message);
            } else {
                warnings.add(message);
            }
        }
    }
}
