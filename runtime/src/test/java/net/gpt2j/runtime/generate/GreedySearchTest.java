package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Greedy decoding's end-of-sequence and padding rules, on a scripted stand-in model. */
class GreedySearchTest {

    private static final int EOS = 9;
    private static final int PAD = 8;

    @Test
    void aFinishedRowKeepsEmittingPadUntilEveryRowHasFinished() {
        ScriptedSource source = new ScriptedSource(10, 64, new int[][] {{3, EOS, 4, 4, 4}, {5, 5, 5, EOS, 4}});
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(5).eosTokenId(EOS).padTokenId(PAD).build();
        GreedyResult r = new GreedySearch(config).generate(source,
                new PromptBatch(new int[][] {{PAD, 1}, {1, 2}}, new int[][] {{0, 1}, {1, 1}}));
        assertThat(r.sequences()[0]).containsExactly(PAD, 1, 3, EOS, PAD, PAD);
        assertThat(r.sequences()[1]).containsExactly(1, 2, 5, 5, 5, EOS);
    }

    @Test
    void withoutAnEosTokenEveryRowRunsToMaxNewTokens() {
        ScriptedSource source = new ScriptedSource(10, 64, new int[][] {{EOS, EOS, EOS}});
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(3).noEosToken().build();
        assertThat(new GreedySearch(config).generate(source, PromptBatch.single(new int[] {1})).sequences()[0])
                .containsExactly(1, EOS, EOS, EOS);
    }

    @Test
    void theDefaultEosIsGpt2sEndOfText() {
        float[] logits = new float[50257];
        logits[50256] = 1f;
        GreedyResult r = new GreedySearch(GenerationConfig.builder().maxNewTokens(4).build())
                .generate(new ScriptedSource(logits, 64), PromptBatch.single(new int[] {1}));
        assertThat(r.sequences()[0]).containsExactly(1, 50256);
        assertThat(r.minTop2Gap()).isEqualTo(1f);
    }

    @Test
    void promptIdsOutsideTheVocabularyAreRefused() {
        ScriptedSource source = new ScriptedSource(10, 64, new int[][] {{1}});
        assertThatThrownBy(() -> new GreedySearch(GenerationConfig.builder().maxNewTokens(1).build())
                .generate(source, PromptBatch.single(new int[] {10})))
                .hasMessageContaining("input_ids[0][0] = 10");
    }

    @Test
    void rightPaddedPromptsAreRefused() {
        assertThatThrownBy(() -> new PromptBatch(new int[][] {{1, 2}}, new int[][] {{1, 0}}))
                .hasMessageContaining("not left-padded");
    }
}
