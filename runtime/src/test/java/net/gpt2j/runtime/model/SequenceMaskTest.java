package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Position ids and the attention bias follow HuggingFace's left-padding rules. */
class SequenceMaskTest {

    private static final float H = SequenceMask.HIDDEN;

    @Test
    void positionsAreCumsumMinusOneWithPaddingAtOneAndStepsContinuePerRow() {
        SequenceMask mask = new SequenceMask(2, 8);
        long[] prompt = mask.append(new int[][] {{0, 0, 1, 1}, {1, 1, 1, 1}});
        assertThat(prompt).containsExactly(1, 1, 0, 1, /* row 1 */ 0, 1, 2, 3);
        assertThat(mask.appendStep()).containsExactly(2, 4);
        assertThat(mask.appendStep()).containsExactly(3, 5);
    }

    @Test
    void biasHidesThePastsPaddingAndTheFuture() {
        SequenceMask mask = new SequenceMask(1, 8);
        mask.append(new int[][] {{0, 1, 1}});
        assertThat(mask.bias(3)).containsExactly(
                H, H, H, // a padding query sees nothing (uniform softmax, never NaN)
                H, 0, H,
                H, 0, 0);
        mask.appendStep();
        assertThat(mask.bias(1)).containsExactly(H, 0, 0, 0);
    }

    @Test
    void oneQueryWithoutPaddingNeedsNoBias() {
        SequenceMask mask = new SequenceMask(2, 8);
        mask.append(new int[][] {{1, 1}, {1, 1}});
        assertThat(mask.bias(2)).as("the prompt is still causal").isNotNull();
        mask.appendStep();
        assertThat(mask.bias(1)).isNull();
    }

    @Test
    void reorderCarriesEachRowsMaskAndCount() {
        SequenceMask mask = new SequenceMask(2, 8);
        mask.append(new int[][] {{0, 1}, {1, 1}});
        mask.reorder(new int[] {0, 0, 1});
        assertThat(mask.rows()).isEqualTo(3);
        assertThat(mask.appendStep()).containsExactly(1, 1, 2);
        assertThat(mask.bias(1)).containsExactly(H, 0, 0, H, 0, 0, 0, 0, 0);
    }
}
