package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window arithmetic of HF's perplexity recipe, on a model whose every prediction is uniform. */
class SlidingWindowPerplexityTest {

    @Test
    void windowsStartEveryStrideAndStopAtTheEndAndAUniformModelHasPerplexityVocab() {
        List<int[]> windows = new ArrayList<>();
        SequenceScorer uniform = ids -> {
            windows.add(ids);
            return new float[ids.length][5]; // all zeros: log p = -log 5 for every token
        };
        int[] ids = new int[10];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % 5;
        }
        double ppl = SlidingWindowPerplexity.of(uniform, ids, 4, 3);
        // begins 0, 3, 6; the window [6, 10) reaches the end, so begin 9 never runs
        assertThat(windows).extracting(w -> w[0]).containsExactly(0, 3, 1);
        assertThat(windows).extracting(w -> w.length).containsExactly(4, 4, 4);
        assertThat(ppl).isCloseTo(5.0, within(1e-5));
    }

    @Test
    void onlyTokensPastThePreviousWindowAreTargets() {
        // the model gives token 0 probability 1/2 and the rest 1/8 each (vocab 5: logits ln4, 0, 0, 0, 0)
        float ln4 = (float) Math.log(4);
        SequenceScorer skewed = ids -> {
            float[][] out = new float[ids.length][5];
            for (float[] row : out) {
                row[0] = ln4;
            }
            return out;
        };
        // window 1 = [0,4): targets ids 1..3 = {0,0,0}: loss ln 2; window 2 = [2,6): targets 4..5 = {1,1}: loss ln 8
        int[] ids = {9, 0, 0, 0, 1, 1};
        double ppl = SlidingWindowPerplexity.of(skewed, ids, 4, 2);
        assertThat(ppl).isCloseTo(Math.exp((Math.log(2) + Math.log(8)) / 2), within(1e-5));
    }
}
