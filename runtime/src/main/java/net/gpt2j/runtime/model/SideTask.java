package net.gpt2j.runtime.model;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * One piece of a model's load run on its own daemon thread while the loading thread does the rest,
 * or run right away on the loading thread when a second thread would not help. {@link #awaitQuietly}
 * waits for it however the rest went, so a failed load never frees arrays the piece still writes
 * into; {@link #result} then gives its value or rethrows its own unchecked failure as thrown.
 */
final class SideTask<T> {

    private final FutureTask<T> task;

    private SideTask(FutureTask<T> task) {
        this.task = task;
    }

    static <T> SideTask<T> start(boolean aside, Supplier<T> work) {
        FutureTask<T> task = new FutureTask<>(work::get);
        if (aside) {
            Thread thread = new Thread(task, "gpt2j-load-weights");
            thread.setDaemon(true);
            thread.start();
        } else {
            task.run();
        }
        return new SideTask<>(task);
    }

    /** Waits until the piece has finished, successfully or not; an interrupt is kept for later. */
    void awaitQuietly() {
        boolean interrupted = false;
        while (!task.isDone()) {
            try {
                task.get();
            } catch (InterruptedException e) {
                interrupted = true; // the piece still writes into engine arrays: it must finish first
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The piece's value, after {@link #awaitQuietly}; its own RuntimeException or Error, rethrown as thrown. */
    T result() {
        awaitQuietly();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the weights", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
