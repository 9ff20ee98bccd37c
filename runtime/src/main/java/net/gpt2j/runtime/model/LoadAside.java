package net.gpt2j.runtime.model;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One part of a load run on its own daemon thread while the loading thread does the rest: starting
 * the engine (loading libtorch) and reading the tokenizer's files need nothing from the weights
 * ({@code Gpt2Runtime.load}), so each overlaps the rest instead of preceding it. A result is taken
 * with {@link #join}, which rethrows the part's own exception as it was thrown, so a failure reads
 * exactly as it did when the part ran on the loading thread. A part whose result is never taken (the
 * load failed first) finishes and is dropped: neither part writes into the model's arrays. (The
 * weights' own parts, which do, share threads through {@link LoadWorkers}.)
 */
public final class LoadAside<T> {

    private final FutureTask<T> task;

    private LoadAside(FutureTask<T> task) {
        this.task = task;
    }

    /** Starts {@code work} on a daemon thread named {@code gpt2j-load-NAME}. */
    public static <T> LoadAside<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, "gpt2j-load-" + name);
        thread.setDaemon(true);
        thread.start();
        return new LoadAside<>(task);
    }

    /** Whether the part has finished and failed: the load can report it before copying any weight. */
    public boolean failedAlready() {
        if (!task.isDone()) {
            return false;
        }
        try {
            task.get();
            return false;
        } catch (ExecutionException | InterruptedException e) {
            return true;
        }
    }

    /**
     * The part's result, waiting for it: the wait is the part's own run, which every part bounds
     * (file sizes capped by the readers, the engine's start, one tensor's copy), so it adds no wait of
     * its own.
     */
    public T join() throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while loading the model");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
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
