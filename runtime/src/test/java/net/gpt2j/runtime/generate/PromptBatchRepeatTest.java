package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromptBatchRepeatTest {

    @Test
    void eachRowIsRepeatedConsecutivelyAsHfExpandsForNumReturnSequences() {
        PromptBatch b = new PromptBatch(new int[][] {{50256, 7}, {5, 6}}, new int[][] {{0, 1}, {1, 1}});
        PromptBatch r = b.repeatRows(3);
        assertThat(r.inputIds()).isDeepEqualTo(new int[][] {{50256, 7}, {50256, 7}, {50256, 7}, {5, 6}, {5, 6}, {5, 6}});
        assertThat(r.attentionMask()).isDeepEqualTo(new int[][] {{0, 1}, {0, 1}, {0, 1}, {1, 1}, {1, 1}, {1, 1}});
        r.inputIds()[0][1] = 99; // rows are copies, not aliases of one another or of the original
        assertThat(r.inputIds()[1][1]).isEqualTo(7);
        assertThat(b.inputIds()[0][1]).isEqualTo(7);
    }

    @Test
    void zeroRepetitionsIsRefused() {
        assertThatThrownBy(() -> PromptBatch.single(new int[] {1}).repeatRows(0)).hasMessageContaining("got 0");
    }
}
