package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link SideTask}: a piece of the load beside the loading thread, always finished before the load ends. */
class SideTaskTest {

    @Test
    void asideItRunsOnItsOwnDaemonThreadElseRightAway() {
        Thread caller = Thread.currentThread();
        Thread aside = SideTask.start(true, Thread::currentThread).result();
        assertThat(aside).isNotSameAs(caller);
        assertThat(aside.isDaemon()).isTrue();
        assertThat(aside.getName()).isEqualTo("gpt2j-load-weights");
        assertThat(SideTask.start(false, Thread::currentThread).result()).isSameAs(caller);
    }

    /** A load that fails on the loading thread still waits for the piece: it writes into arrays the failure frees. */
    @Test
    void awaitingWaitsForThePieceToFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        SideTask<Integer> piece = SideTask.start(true, () -> {
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
        piece.awaitQuietly();
        assertThat(finished).isTrue();
        assertThat(piece.result()).isEqualTo(7);
    }

    @Test
    void itsFailureIsRethrownAsThrown() {
        IllegalArgumentException failure = new IllegalArgumentException("tensor wte: expected [50257, 768]");
        SideTask<Object> piece = SideTask.start(true, () -> {
            throw failure;
        });
        piece.awaitQuietly(); // a failed piece is finished too
        assertThatThrownBy(piece::result).isSameAs(failure);
    }
}
