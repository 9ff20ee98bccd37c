package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadWorkers}: every part runs once, threads take parts as they come free, and a failure is
 * rethrown (the lowest-numbered part's) only after every thread has stopped.
 */
class LoadWorkersTest {

    @Test
    void everyPartRunsExactlyOnceWhateverTheThreadCount() {
        for (int threads = 1; threads <= 5; threads++) {
            for (int n : new int[] {0, 1, 3, 40}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                List<Runnable> parts = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int at = i;
                    parts.add(() -> runs.incrementAndGet(at));
                }
                new LoadWorkers(threads).run("test", parts);
                for (int i = 0; i < n; i++) {
                    assertThat(runs.get(i)).as("part %d of %d on %d threads", i, n, threads).isEqualTo(1);
                }
            }
        }
    }

    /** While one thread is held in a long part, another runs all the rest: the split is not fixed. */
    @Test
    void whileOnePartRunsTheOtherThreadTakesTheRest() {
        int n = 12;
        CountDownLatch restDone = new CountDownLatch(n - 1);
        Set<Thread> restRanOn = ConcurrentHashMap.newKeySet();
        Thread[] longPartRanOn = new Thread[1];
        List<Runnable> parts = new ArrayList<>();
        parts.add(() -> {
            longPartRanOn[0] = Thread.currentThread();
            await(restDone); // holds its thread until every other part is done
        });
        for (int i = 1; i < n; i++) {
            parts.add(() -> {
                restRanOn.add(Thread.currentThread());
                restDone.countDown();
            });
        }
        new LoadWorkers(2).run("test", parts);
        assertThat(restRanOn).hasSize(1).doesNotContain(longPartRanOn[0]);
        Thread helper = Thread.currentThread() == longPartRanOn[0] ? restRanOn.iterator().next() : longPartRanOn[0];
        assertThat(helper.getName()).isEqualTo("gpt2j-load-test-1");
        assertThat(helper.isDaemon()).isTrue();
    }

    @Test
    void afterAFailureOneThreadStartsNoFurtherPart() {
        IllegalStateException failure = new IllegalStateException("tensor h.3.attn.c_attn.weight: expected [768, 2304]");
        AtomicIntegerArray runs = new AtomicIntegerArray(5);
        List<Runnable> parts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int at = i;
            parts.add(() -> {
                runs.incrementAndGet(at);
                if (at == 1) {
                    throw failure;
                }
            });
        }
        assertThatThrownBy(() -> new LoadWorkers(1).run("test", parts)).isSameAs(failure);
        assertThat(runs.get(0) + runs.get(1)).isEqualTo(2);
        assertThat(runs.get(2) + runs.get(3) + runs.get(4)).isZero();
    }

    /**
     * Two parts fail at once on two threads: part 0's failure is the one rethrown, whichever came
     * first, and only after the slower thread has finished its part (it may be writing into arrays
     * the failed load frees).
     */
    @Test
    void theLowestNumberedFailureIsRethrownOnceEveryThreadHasStopped() {
        for (int round = 0; round < 20; round++) {
            CyclicBarrier bothRunning = new CyclicBarrier(2);
            OutOfMemoryError first = new OutOfMemoryError("part 0");
            IllegalArgumentException second = new IllegalArgumentException("part 1");
            AtomicBoolean slowPartFinished = new AtomicBoolean();
            boolean part0IsSlow = round % 2 == 0;
            List<Runnable> parts = List.of(
                    () -> {
                        await(bothRunning);
                        if (part0IsSlow) {
                            pause();
                            slowPartFinished.set(true);
                        }
                        throw first;
                    },
                    () -> {
                        await(bothRunning);
                        if (!part0IsSlow) {
                            pause();
                            slowPartFinished.set(true);
                        }
                        throw second;
                    });
            assertThatThrownBy(() -> new LoadWorkers(2).run("test", parts)).isSameAs(first);
            assertThat(slowPartFinished).as("round %d", round).isTrue();
        }
    }

    @Test
    void aGpuLoadsOnOneThreadACpuAndTheHostsScansOnUpToFour() {
        int host = Math.min(LoadWorkers.MOST, Runtime.getRuntime().availableProcessors());
        assertThat(LoadWorkers.forDevice(Device.gpu()).threads()).isEqualTo(1);
        assertThat(LoadWorkers.forDevice(Device.cpu()).threads()).isEqualTo(host);
        assertThat(LoadWorkers.onTheHost().threads()).isEqualTo(host);
        assertThatThrownBy(() -> new LoadWorkers(0)).hasMessage("a load needs at least 1 thread, got 0");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other parts never finished: the parts were not shared");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the two parts did not run at once", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
