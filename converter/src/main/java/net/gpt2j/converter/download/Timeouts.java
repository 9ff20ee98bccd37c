package net.gpt2j.converter.download;

import java.time.Duration;

/**
 * How long a download waits before calling a server gone: to connect, for the response to a
 * request (headers), and for the next bytes of a body. Without the last two a server that stalls
 * after the headers, or never answers, would hang {@code download} forever.
 */
public record Timeouts(Duration connect, Duration response, Duration idle) {

    /** At most a minute each: long enough for a slow mirror, short enough that a dead one is named soon. */
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60));

    public Timeouts {
        for (Duration d : new Duration[] {connect, response, idle}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("download timeouts must be positive, got " + d);
            }
        }
    }
}
