package net.gpt2j.runtime.model;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a load's independent parts (each weight's finiteness scan, each block's copy) on the loading
 * thread and a few helper threads, every thread taking the next part as soon as it finishes its
 * last. A fixed split (wte's transpose on a second thread, the blocks on the first) left the second
 * thread idle while the first finished the blocks; shared this way the threads finish together. On the
 * CPU a fresh process's copy is mostly first touches of new pages, which threads take side by side
 * (docs/DECISIONS.md, "The weights are copied by threads that share the parts").
 *
 * <p>A part that throws stops the others from starting new parts; {@link #run} returns or throws only
 * after every thread has finished, so a failed load never frees arrays a part is still writing, and
 * it rethrows the failure of the lowest-numbered part that failed, so which message a user sees does
 * not depend on timing. Parts report their results by writing into the caller's arrays: every
 * thread's writes are visible to the caller once {@link #run} returns (it joins them). The wait for
 * the helpers has no bound of its own: each part is one tensor's scan or copy, bounded by its size.
 */
final class LoadWorkers {

    /** At most this many threads: first touches of new memory stop scaling long before the cores do. */
    static final int MOST = 4;

    private final int threads;

    LoadWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a load needs at least 1 thread, got " + threads);
        }
        this.threads = threads;
    }

    /** For work on the host's memory (the finiteness scans, whatever the device): a thread per processor, up to {@link #MOST}. */
    static LoadWorkers onTheHost() {
        return new LoadWorkers(Math.min(MOST, Runtime.getRuntime().availableProcessors()));
    }

    /** For the copies onto {@code device}: one thread on a GPU (its copies queue on the device anyway), else {@link #onTheHost}. */
    static LoadWorkers forDevice(Device device) {
        return device.isGpu() ? new LoadWorkers(1) : onTheHost();
    }

    int threads() {
        return threads;
    }

    /**
     * Runs every part once, in no fixed order, the largest first being the caller's job: list them
     * largest first so the rest fill in around them. Helper threads are daemons named
     * {@code gpt2j-load-NAME-K}.
     */
    void run(String name, List<Runnable> parts) {
        int n = parts.size();
        Throwable[] failures = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Runnable worker = () -> {
            int i;
            while (!failed.get() && (i = next.getAndIncrement()) < n) {
                try {
                    parts.get(i).run();
                } catch (Throwable e) { // every failure, an Error too: the caller rethrows it after the join
                    failures[i] = e;
                    failed.set(true);
                }
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int k = 1; k < Math.min(threads, n); k++) {
            Thread helper = new Thread(worker, "gpt2j-load-" + name + "-" + k);
            helper.setDaemon(true);
            try {
                helper.start();
            } catch (OutOfMemoryError e) {
                break; // no native thread to be had: the threads already started share the parts
            }
            helpers.add(helper);
        }
        worker.run();
        joinAll(helpers);
        for (Throwable failure : failures) {
            if (failure != null) {
                rethrow(failure);
            }
        }
    }

    /** Waits for every helper; an interrupt is kept for later, since a helper may still write into arrays. */
    private static void joinAll(List<Thread> helpers) {
        boolean interrupted = false;
        for (Thread helper : helpers) {
            while (true) {
                try {
                    helper.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(failure); // a checked exception thrown sneakily: none of ours does
    }
}
