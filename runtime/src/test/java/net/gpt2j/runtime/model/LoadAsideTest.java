package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadAside}: a part of a load on its own daemon thread (or right here), its failure rethrown
 * as it was thrown, and always finished before a load that waits for it ends.
 */
class LoadAsideTest {

    @Test
    void aPartRunsOnItsOwnDaemonThreadWhileTheCallerGoesOn() throws Exception {
        CountDownLatch callerWentOn = new CountDownLatch(1);
        LoadAside<Thread> part = LoadAside.start("probe", () -> {
            // finishes only once the caller has moved past start(): the part does not run inline
            if (!callerWentOn.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the caller never went on");
            }
            return Thread.currentThread();
        });
        callerWentOn.countDown();
        Thread ran = part.join();
        assertThat(ran).isNotSameAs(Thread.currentThread());
        assertThat(ran.getName()).isEqualTo("gpt2j-load-probe");
        assertThat(ran.isDaemon()).isTrue();
        assertThat(part.failedAlready()).isFalse();
    }

    @Test
    void aFailureIsRethrownAsThePartThrewIt() throws Exception {
        IOException io = new IOException("tokenizer file x: expected y");
        LoadAside<Object> failing = LoadAside.start("io", () -> {
            throw io;
        });
        assertThatThrownBy(failing::join).isSameAs(io);
        assertThat(failing.failedAlready()).isTrue();
        IllegalArgumentException unchecked = new IllegalArgumentException("bad");
        assertThatThrownBy(LoadAside.start("unchecked", () -> {
            throw unchecked;
        })::join).isSameAs(unchecked);
    }

    @Test
    void asideItRunsOnItsOwnDaemonThreadElseRightAway() throws Exception {
        Thread caller = Thread.currentThread();
        Thread aside = LoadAside.start("weights", true, Thread::currentThread).joinUnchecked();
        assertThat(aside).isNotSameAs(caller);
        assertThat(aside.isDaemon()).isTrue();
        assertThat(aside.getName()).isEqualTo("gpt2j-load-weights");
        assertThat(LoadAside.start("weights", false, Thread::currentThread).joinUnchecked()).isSameAs(caller);
    }

    /** A load that fails on the loading thread still waits for the part: it writes into arrays the failure frees. */
    @Test
    void awaitingWaitsForThePartToFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        LoadAside<Integer> part = LoadAside.start("weights", () -> {
            started.countDown();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.set(true);
            return 7;
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        part.awaitQuietly();
        assertThat(finished).isTrue();
        assertThat(part.joinUnchecked()).isEqualTo(7);
    }

    @Test
    void anUncheckedFailureIsRethrownAsThrownByEitherJoin() {
        IllegalArgumentException failure = new IllegalArgumentException("tensor wte: expected [50257, 768]");
        LoadAside<Object> part = LoadAside.start("weights", () -> {
            throw failure;
        });
        part.awaitQuietly(); // a failed part is finished too
        assertThatThrownBy(part::joinUnchecked).isSameAs(failure);
        assertThatThrownBy(part::join).isSameAs(failure);
    }
}
