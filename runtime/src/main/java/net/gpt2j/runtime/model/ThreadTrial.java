package net.gpt2j.runtime.model;

/**
 * Which of two intra-op thread counts runs a decode step faster, decided by timing real steps: one
 * thread and all of them, three steps each in the order {@code 1, all, all, 1, 1, all} (each side
 * gets early and late steps, so a cache growing by one slot a step, or a first step that runs cold,
 * favours neither), then the count whose fastest step was faster; one thread on a tie. After that the
 * decision holds.
 *
 * <p>Speed may choose only between counts that give the same results: before any timing the caller
 * runs one step on both and reports whether the logits were the same bits ({@link #checked}); if not,
 * the trial ends at once with all threads, so what a generation produces never depends on a timing.
 * Pure bookkeeping: the caller runs and times the steps ({@link DecodeThreads}).
 */
final class ThreadTrial {

    /** Which candidate each trial step runs: 0 is one thread, 1 is all. */
    private static final int[] ORDER = {0, 1, 1, 0, 0, 1};

    private final int all;
    private final long[] fastest = {Long.MAX_VALUE, Long.MAX_VALUE};
    private int timed;
    private Boolean sameBits; // null until the caller has compared one step on both counts

    /** @param all the caller's intra-op thread count, more than one */
    ThreadTrial(int all) {
        if (all < 2) {
            throw new IllegalArgumentException("a thread trial needs two candidates, the caller has " + all + " thread(s)");
        }
        this.all = all;
    }

    /** Whether the caller still has to compare one step's results on both counts. */
    synchronized boolean needsCheck() {
        return sameBits == null;
    }

    /** The comparison's outcome: the same bits on one thread as on all, or not (which ends the trial). */
    synchronized void checked(boolean same) {
        if (sameBits == null) {
            sameBits = same;
        }
    }

    /** The thread count the next step runs on. */
    synchronized int next() {
        if (Boolean.FALSE.equals(sameBits)) {
            return all;
        }
        if (decided()) {
            return fastest[0] <= fastest[1] ? 1 : all;
        }
        return ORDER[timed] == 0 ? 1 : all;
    }

    /** Records a trial step that ran on {@code threads} in {@code nanos}; ignored once decided. */
    synchronized void record(int threads, long nanos) {
        if (decided() || sameBits == null) {
            return;
        }
        int expected = ORDER[timed] == 0 ? 1 : all;
        if (threads != expected) {
            // another thread's step got in between next() and record(): time only what was scheduled
            return;
        }
        int side = ORDER[timed];
        fastest[side] = Math.min(fastest[side], nanos);
        timed++;
    }

    synchronized boolean decided() {
        return Boolean.FALSE.equals(sameBits) || timed == ORDER.length;
    }

    /** e.g. "1 of 2 threads (fastest step: 1 thread 26.1 ms, 2 threads 28.4 ms)", or "trying 1 and 2 threads". */
    synchronized String describe() {
        if (Boolean.FALSE.equals(sameBits)) {
            return all + " of " + all + " threads (one thread's logits differed in the last bits: not chosen by speed)";
        }
        if (!decided()) {
            return "trying 1 and " + all + " threads (" + timed + " of " + ORDER.length + " steps timed)";
        }
        return next() + " of " + all + " threads (fastest step: 1 thread " + ms(fastest[0]) + " ms, " + all + " threads "
                + ms(fastest[1]) + " ms)";
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
