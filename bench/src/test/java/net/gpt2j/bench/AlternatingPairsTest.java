package net.gpt2j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlternatingPairsTest {

    /** The order flips every pair, and each ratio is the pair's own rate over rate. */
    @Test
    void pairsAlternateTheirOrderAndDivideRatesWithinEachPair() {
        List<String> calls = new ArrayList<>();
        double[] aSeconds = {1.0, 2.0, 1.0, 4.0};
        double[] bSeconds = {0.5, 1.0, 2.0, 1.0};
        int[] next = {0, 0};
        AlternatingPairs.Side a = new AlternatingPairs.Side(() -> {
            calls.add("a");
            return aSeconds[next[0]++];
        }, 64);
        AlternatingPairs.Side b = new AlternatingPairs.Side(() -> {
            calls.add("b");
            return bSeconds[next[1]++];
        }, 32);
        Spread r = AlternatingPairs.ratios(a, b, 4);
        assertThat(calls).containsExactly("a", "b", "b", "a", "a", "b", "b", "a");
        // (64 / a) / (32 / b) = 2 b / a
        assertThat(r.inOrder()).containsExactly(new double[] {1.0, 1.0, 4.0, 0.5}, within(1e-12));
        assertThat(r.median()).isEqualTo(1.0);
    }

    @Test
    void aSideThatTookNoTimeOrNoPairsIsRefused() {
        AlternatingPairs.Side zero = new AlternatingPairs.Side(() -> 0.0, 1);
        AlternatingPairs.Side one = new AlternatingPairs.Side(() -> 1.0, 1);
        assertThatThrownBy(() -> AlternatingPairs.ratios(zero, one, 1)).hasMessage("a timed side took 0.0 s");
        assertThatThrownBy(() -> AlternatingPairs.ratios(one, one, 0)).hasMessage("pairs must be >= 1, got 0");
    }
}
