package net.gpt2j.converter.download;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that gives up when no byte arrives for {@code idle}: a watchdog closes the
 * stream and interrupts the blocked reader, whose read then fails with {@link IdleTimeoutException}.
 * HttpClient's own request timeout covers only the wait for the headers.
 */
final class IdleTimeoutInputStream extends FilterInputStream {

    /** The read that was cut off: the server stopped sending. */
    static final class IdleTimeoutException extends IOException {
        IdleTimeoutException(Duration idle) {
            super("no data received for " + idle.toSeconds() + " s");
        }
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "download-idle-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Duration idle;
    private final long idleNanos;
    private final Thread reader;
    private final ScheduledFuture<?> check;
    /** When the read now blocking began; 0 between reads, so time spent writing to disk never counts as idle. */
    private volatile long readStartedAt;
    private volatile boolean timedOut;

    IdleTimeoutInputStream(InputStream in, Duration idle) {
        super(in);
        this.idle = idle;
        this.idleNanos = idle.toNanos();
        this.reader = Thread.currentThread();
        long period = Math.max(10, idle.toMillis() / 4);
        this.check = WATCHDOG.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
    }

    private void checkIdle() {
        long started = readStartedAt;
        if (timedOut || started == 0 || System.nanoTime() - started < idleNanos) {
            return;
        }
        timedOut = true;
        check.cancel(false);
        reader.interrupt();
        try {
            in.close();
        } catch (IOException e) {
            // the read it unblocks reports the timeout
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        readStartedAt = System.nanoTime();
        try {
            int n = in.read(b, off, len);
            if (timedOut) {
                throw new IdleTimeoutException(idle);
            }
            return n;
        } catch (IOException e) {
            if (timedOut) {
                throw new IdleTimeoutException(idle);
            }
            throw e;
        } finally {
            readStartedAt = 0;
            if (timedOut) {
                Thread.interrupted(); // clear the watchdog's interrupt: the timeout is what gets reported
            }
        }
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
