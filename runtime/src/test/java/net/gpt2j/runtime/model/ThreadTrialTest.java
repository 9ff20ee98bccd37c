package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadTrialTest {

    /** Runs the trial with steps that take {@code oneThread} and {@code allThreads} nanoseconds; returns the schedule. */
    private static List<Integer> runTrial(ThreadTrial trial, long oneThread, long allThreads) {
        trial.checked(true);
        List<Integer> schedule = new ArrayList<>();
        while (!trial.decided()) {
            int threads = trial.next();
            schedule.add(threads);
            trial.record(threads, threads == 1 ? oneThread : allThreads);
        }
        return schedule;
    }

    @Test
    void timesEachCandidateThreeTimesInAnOrderThatGivesBothEarlyAndLateSteps() {
        assertThat(runTrial(new ThreadTrial(4), 10, 12)).containsExactly(1, 4, 4, 1, 1, 4);
    }

    @Test
    void keepsOneThreadWhenItsFastestStepWasFaster() {
        ThreadTrial trial = new ThreadTrial(2);
        runTrial(trial, 24_000_000, 26_000_000);
        assertThat(trial.next()).isEqualTo(1);
        assertThat(trial.describe()).isEqualTo("1 of 2 threads (fastest step: 1 thread 24.00 ms, 2 threads 26.00 ms)");
    }

    @Test
    void keepsAllThreadsWhenTheirFastestStepWasFaster() {
        ThreadTrial trial = new ThreadTrial(8);
        runTrial(trial, 30, 10);
        assertThat(trial.next()).isEqualTo(8);
    }

    @Test
    void aTieKeepsOneThread() {
        ThreadTrial trial = new ThreadTrial(2);
        runTrial(trial, 10, 10);
        assertThat(trial.next()).isEqualTo(1);
    }

    @Test
    void timesNothingBeforeTheResultsWereComparedOnBothCounts() {
        ThreadTrial trial = new ThreadTrial(2);
        assertThat(trial.needsCheck()).isTrue();
        trial.record(1, 5);
        assertThat(trial.describe()).startsWith("trying 1 and 2 threads (0 of 6");
        trial.checked(true);
        assertThat(trial.needsCheck()).isFalse();
        trial.record(1, 5);
        assertThat(trial.describe()).startsWith("trying 1 and 2 threads (1 of 6");
    }

    @Test
    void resultsThatDifferByCountEndTheTrialWithAllThreads() {
        ThreadTrial trial = new ThreadTrial(4);
        trial.checked(false);
        assertThat(trial.decided()).isTrue();
        assertThat(trial.next()).isEqualTo(4);
        trial.record(4, 1);
        trial.checked(true); // the first comparison stands
        assertThat(trial.next()).isEqualTo(4);
        assertThat(trial.describe()).isEqualTo("4 of 4 threads (one thread's logits differed in the last bits: not chosen by speed)");
    }

    @Test
    void judgesByEachSidesFastestStepSoOneSlowStepDoesNotDecide() {
        ThreadTrial trial = new ThreadTrial(2);
        trial.checked(true);
        long[] times = {100, 20, 20, 10, 10, 20}; // the first, one-thread step ran cold
        for (long t : times) {
            trial.record(trial.next(), t);
        }
        assertThat(trial.next()).isEqualTo(1);
    }

    @Test
    void aStepRunOnAnotherCountThanScheduledIsNotCounted() {
        ThreadTrial trial = new ThreadTrial(2);
        trial.checked(true);
        trial.record(2, 1); // scheduled: 1 thread
        assertThat(trial.describe()).startsWith("trying 1 and 2 threads (0 of 6");
        trial.record(1, 5);
        assertThat(trial.describe()).startsWith("trying 1 and 2 threads (1 of 6");
    }

    @Test
    void recordsAfterTheDecisionChangeNothing() {
        ThreadTrial trial = new ThreadTrial(2);
        runTrial(trial, 10, 20);
        trial.record(2, 1);
        trial.record(1, 1_000);
        assertThat(trial.next()).isEqualTo(1);
        assertThat(trial.describe()).contains("1 thread 0.00 ms, 2 threads 0.00 ms");
    }

    @Test
    void needsTwoCandidates() {
        assertThatThrownBy(() -> new ThreadTrial(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 thread(s)");
    }
}
