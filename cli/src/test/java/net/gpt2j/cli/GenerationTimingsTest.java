package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code -v} timings line of {@code generate}, from given clock readings (nothing is timed). */
class GenerationTimingsTest {

    private static final long S = 1_000_000_000L;

    @Test
    void theFirstDecidedTokenSplitsPrefillFromDecodeAndEveryTokenReachesTheStreamer() {
        List<Integer> seen = new ArrayList<>();
        long[] now = {S * 35 / 10};
        GenerationTimings t = new GenerationTimings((row, step, token) -> seen.add(token), () -> now[0]);
        t.decided(0, 0, 11);
        now[0] = S * 4; // later tokens do not move the split
        t.decided(0, 1, 12);
        assertThat(seen).containsExactly(11, 12);
        assertThat(t.line(S, S * 12 / 10, S * 32 / 10, S * 33 / 10, S * 53 / 10, 16, 64)).isEqualTo(
                "timings: command to load 0.20 s, load 2.00 s, prefill 0.200 s (16 tokens, first token decided), "
                        + "decode 1.800 s (63 steps, 35.0 steps/s)");
    }

    @Test
    void withoutADecidedTokenOnlyTheWholeGenerationIsGiven() {
        GenerationTimings t = new GenerationTimings((row, step, token) -> {}, () -> 0);
        assertThat(t.line(0, S, 2 * S, 3 * S, 4 * S, 5, 32))
                .isEqualTo("timings: command to load 1.00 s, load 1.00 s, generate 1.000 s");
    }
}
