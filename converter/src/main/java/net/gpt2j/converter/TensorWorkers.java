package net.gpt2j.converter;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.safetensors.SafetensorsWriter;

/**
 * Converts the plan's tensors, on two threads when the reader allows concurrent reads: the calling
 * thread and a helper each take the next tensor in file order and relay it out with buffers of
 * their own ({@link TensorRelayout}). Tensors land at fixed places in the file, so the order they
 * finish in does not matter. At most two tensors are in flight, each holding a chunk buffer.
 *
 * <p>Why: once the sources are hashed (on another thread, {@link SourceHashing}), one core sat idle
 * while the other read, transposed, checksummed and wrote the tensors. Measured on 2 cores: no
 * gain on the 124M model (0.85 s either way: the JIT compilers and the hashing keep the second
 * core busy for most of that short run), 1558M in 10.5-11.5 s instead of 12.4-18.3 s.
 * Only the calling thread talks to the listener. When a tensor fails, the other thread finishes
 * the tensor it holds and stops; the first failure is thrown once both have stopped.
 */
final class TensorWorkers {

    private TensorWorkers() {}

    /** Writes every output of {@code plan}'s tensors and returns each output's name with its CRC-32C. */
    static Map<String, Integer> convert(InputPlan plan, CheckpointReader reader, SafetensorsWriter writer, WeightMapping mapping,
            ConversionListener listener) throws IOException {
        Shared shared = new Shared(plan.items());
        boolean twoThreads = reader.concurrentReads() && Runtime.getRuntime().availableProcessors() > 1
                && plan.items().size() > 1;
        if (!twoThreads) {
            shared.work(new TensorRelayout(reader, writer, mapping), listener);
            return shared.crcs;
        }
        FutureTask<Void> helper = new FutureTask<>(() -> {
            shared.work(new TensorRelayout(reader, writer, mapping), null);
            return null;
        });
        Thread thread = new Thread(helper, "tensor-worker");
        thread.setDaemon(true);
        thread.start();
        try {
            shared.work(new TensorRelayout(reader, writer, mapping), listener);
        } catch (IOException | RuntimeException | Error e) {
            shared.failed.set(true);
            joinUninterruptibly(thread);
            throw e;
        }
        joinUninterruptibly(thread);
        try {
            helper.get();
        } catch (ExecutionException e) {
            throw BackgroundFailure.rethrow(e, "converting tensors");
        } catch (InterruptedException e) {
            throw new IllegalStateException("the helper thread has ended; get() cannot wait", e);
        }
        listener.progress(shared.done.get(), "all tensors");
        return shared.crcs;
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The work both threads take tensors from. */
    private static final class Shared {
        final List<InputPlan.Item> items;
        final AtomicInteger next = new AtomicInteger();
        final AtomicLong done = new AtomicLong();
        final AtomicBoolean failed = new AtomicBoolean();
        final Map<String, Integer> crcs = new ConcurrentHashMap<>();

        Shared(List<InputPlan.Item> items) {
            this.items = items;
        }

        /** Takes tensors until none is left or one failed; {@code listener} is null on the helper thread. */
        void work(TensorRelayout relayout, ConversionListener listener) throws IOException {
            int i;
            while (!failed.get() && (i = next.getAndIncrement()) < items.size()) {
                InputPlan.Item item = items.get(i);
                try {
                    crcs.putAll(relayout.convert(item));
                } catch (IOException | RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
                long total = done.addAndGet(item.entry().size());
                if (listener != null) {
                    listener.progress(total, item.entry().name());
                }
            }
        }
    }
}
