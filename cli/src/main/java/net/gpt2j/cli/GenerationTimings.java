package net.gpt2j.cli;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.LongSupplier;
import net.gpt2j.runtime.generate.TokenListener;

/**
 * Where a {@code generate} run's wall time goes, for {@code -v}: JVM start to {@code main}, {@code main}
 * to the command (picocli and the classes it loads), the command to the model load (argument checks,
 * resolving the model), the load, the prefill (until the first token is decided) and the decode steps
 * after it. {@code bench/run cli} reads this line to say where
 * the CLI path spends what an in-process generation does not.
 */
final class GenerationTimings implements TokenListener {

    /** When {@link Gpt2#main} began, wall clock and {@link System#nanoTime}; 0 when a test runs the command. */
    private static volatile long mainEpochMillis;
    private static volatile long mainNanos;

    private final TokenListener delegate;
    private final LongSupplier clock;
    private long firstTokenNanos;

    GenerationTimings(TokenListener delegate) {
        this(delegate, System::nanoTime);
    }

    GenerationTimings(TokenListener delegate, LongSupplier clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    static void mainEntered() {
        mainEpochMillis = System.currentTimeMillis();
        mainNanos = System.nanoTime();
    }

    @Override
    public void decided(int row, int step, int token) {
        if (firstTokenNanos == 0) {
            firstTokenNanos = clock.getAsLong();
        }
        delegate.decided(row, step, token);
    }

    /**
     * The {@code -v} line, for one generated row (a batch's decode steps are not its new tokens minus
     * one, so it gets no split). {@code callNanos}: the command began; {@code loadStart}, {@code loadEnd},
     * {@code generateStart}, {@code generateEnd}: {@link System#nanoTime} around the load and the generation.
     */
    String line(long callNanos, long loadStart, long loadEnd, long generateStart, long generateEnd, int promptTokens,
            int newTokens) {
        StringBuilder b = new StringBuilder("timings: ");
        long mainAt = mainEpochMillis;
        if (mainAt != 0) {
            long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
            b.append(String.format(Locale.ROOT, "JVM start to main %.2f s, main to command %.2f s, ",
                    (mainAt - jvmStart) / 1e3, (callNanos - mainNanos) / 1e9));
        }
        b.append(String.format(Locale.ROOT, "command to load %.2f s, load %.2f s, ", (loadStart - callNanos) / 1e9,
                (loadEnd - loadStart) / 1e9));
        if (firstTokenNanos != 0 && newTokens > 1) {
            double prefill = (firstTokenNanos - generateStart) / 1e9;
            double decode = (generateEnd - firstTokenNanos) / 1e9;
            b.append(String.format(Locale.ROOT, "prefill %.3f s (%d tokens, first token decided), decode %.3f s "
                    + "(%d steps, %.1f steps/s)", prefill, promptTokens, decode, newTokens - 1, (newTokens - 1) / decode));
        } else {
            b.append(String.format(Locale.ROOT, "generate %.3f s", (generateEnd - generateStart) / 1e9));
        }
        return b.toString();
    }
}
