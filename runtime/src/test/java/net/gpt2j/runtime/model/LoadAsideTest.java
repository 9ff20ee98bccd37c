package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadAside}: a part of a load on its own daemon thread, its failure rethrown as it was thrown.
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
}
