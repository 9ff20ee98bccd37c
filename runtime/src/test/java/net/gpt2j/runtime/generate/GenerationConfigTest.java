package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation names the wrong argument; defaults and length rules are HF's. */
class GenerationConfigTest {

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("num_beams", (Consumer<GenerationConfig.Builder>) b -> b.numBeams(0)),
                Arguments.of("top_p", (Consumer<GenerationConfig.Builder>) b -> b.topP(0)),
                Arguments.of("top_p", (Consumer<GenerationConfig.Builder>) b -> b.topP(1.01)),
                Arguments.of("temperature", (Consumer<GenerationConfig.Builder>) b -> b.temperature(0)),
                Arguments.of("top_k", (Consumer<GenerationConfig.Builder>) b -> b.topK(-1)),
                Arguments.of("repetition_penalty", (Consumer<GenerationConfig.Builder>) b -> b.repetitionPenalty(0)),
                Arguments.of("max_new_tokens", (Consumer<GenerationConfig.Builder>) b -> b.maxNewTokens(0)),
                Arguments.of("num_return_sequences",
                        (Consumer<GenerationConfig.Builder>) b -> b.numBeams(2).numReturnSequences(3)),
                Arguments.of("no_repeat_ngram_size", (Consumer<GenerationConfig.Builder>) b -> b.noRepeatNgramSize(-1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidSettingIsRefusedNamingTheArgument(String name, Consumer<GenerationConfig.Builder> setting) {
        GenerationConfig.Builder b = GenerationConfig.builder();
        setting.accept(b);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
        // a front end (the CLI) tells a wrong setting from a failed run by its type, and names it from setting()
        assertThatThrownBy(b::build).isInstanceOfSatisfying(InvalidGenerationSetting.class,
                e -> assertThat(e.setting()).isEqualTo(name));
    }

    @Test
    void aSettingThatDisagreesWithAnotherNamesBoth() {
        assertThatThrownBy(() -> GenerationConfig.builder().doSample(true).numBeams(2).build())
                .isInstanceOfSatisfying(InvalidGenerationSetting.class,
                        e -> assertThat(e.settings()).containsExactly("num_beams", "do_sample"))
                .hasMessage("num_beams (2) > 1 with do_sample (beam sampling) is not supported");
        assertThatThrownBy(() -> EarlyStopping.parse("sometimes")).isInstanceOfSatisfying(InvalidGenerationSetting.class,
                e -> assertThat(e.setting()).isEqualTo("early_stopping"));
    }

    /** Too long for this model is not a wrong setting: the same config runs with a shorter prompt or a larger model. */
    @Test
    void aRequestBeyondTheModelsContextIsNotAnInvalidSetting() {
        GenerationConfig c = GenerationConfig.builder().maxNewTokens(30).build();
        assertThatThrownBy(() -> c.newTokensFor(40, 64)).isNotInstanceOf(InvalidGenerationSetting.class);
    }

    /** HF's eos_token_id as a list: a row ends at any of them, min_new_tokens bans them all, the first is eos_token_id[0]. */
    @Test
    void severalEndTokensEndARowAtAnyOfThem() {
        GenerationConfig c = GenerationConfig.builder().eosTokenIds(50256, 14959).minNewTokens(3).build();
        assertThat(c.eosTokenIds()).containsExactly(50256, 14959);
        assertThat(c.eosTokenId()).hasValue(50256);
        assertThat(c.isEos(14959)).isTrue();
        assertThat(c.isEos(50256)).isTrue();
        assertThat(c.isEos(1)).isFalse();
        MinNewTokensProcessor min = (MinNewTokensProcessor) c.processors(2).get(0);
        assertThat(min.touchedIds(new int[] {1, 2, 3}, 50257)).containsExactly(50256, 14959);
        assertThat(min.touchedIds(new int[] {1, 2, 3, 4, 5}, 50257)).isEmpty();
        assertThat(min.touchedIds(new int[] {1, 2}, 50000)).containsExactly(14959); // 50256 is outside this vocabulary
        assertThatThrownBy(() -> GenerationConfig.builder().eosTokenIds(50256, -3).build())
                .isInstanceOf(InvalidGenerationSetting.class).hasMessage("eos_token_id must be >= 0, got -3");
        assertThat(GenerationConfig.builder().eosTokenIds().build().eosTokenId()).isEmpty();
    }

    @Test
    void defaultsAreGpt2s() {
        GenerationConfig c = GenerationConfig.builder().build();
        assertThat(c.eosTokenId()).hasValue(50256);
        assertThat(c.padTokenId()).isEqualTo(50256);
        assertThat(c.maxLength()).isEqualTo(20);
        assertThat(c.topK()).isEqualTo(50);
        assertThat(c.numBeams()).isEqualTo(1);
        assertThat(c.earlyStopping()).isEqualTo(EarlyStopping.HEURISTIC);
        assertThat(GenerationConfig.builder().noEosToken().build().eosTokenId()).isEmpty();
    }

    @Test
    void maxNewTokensTakesPrecedenceOverMaxLength() {
        assertThat(GenerationConfig.builder().maxLength(20).build().newTokensFor(5, 64)).isEqualTo(15);
        assertThat(GenerationConfig.builder().maxLength(20).maxNewTokens(7).build().newTokensFor(5, 64)).isEqualTo(7);
    }

    @Test
    void promptPlusNewTokensBeyondContextIsRefusedSayingSo() {
        GenerationConfig c = GenerationConfig.builder().maxNewTokens(30).build();
        assertThatThrownBy(() -> c.newTokensFor(40, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("40").hasMessageContaining("30").hasMessageContaining("n_ctx of 64");
        assertThatThrownBy(() -> GenerationConfig.builder().build().newTokensFor(20, 64))
                .hasMessageContaining("max_length (20) leaves no room");
    }

    @Test
    void strategiesRefuseConfigsMeantForAnother() {
        GenerationConfig sampling = GenerationConfig.builder().doSample(true).build();
        assertThatThrownBy(() -> new GreedySearch(sampling)).hasMessageContaining("do_sample");
        assertThatThrownBy(() -> new Sampler(GenerationConfig.builder().build())).hasMessageContaining("do_sample");
    }

    @Test
    void huggingFaceVersionsMapToTheirConvention() {
        assertThat(BeamLengthConvention.forHfVersion("4.28.1+recon.50f82e128")).isEqualTo(BeamLengthConvention.HF_4_28);
        assertThat(BeamLengthConvention.forHfVersion("4.57.6")).isEqualTo(BeamLengthConvention.HF_4_57);
        assertThatThrownBy(() -> BeamLengthConvention.forHfVersion("4.40.0")).hasMessageContaining("4.40.0");
        assertThat(BeamLengthConvention.forHfVersion("4.35.2")).isEqualTo(BeamLengthConvention.HF_4_28);
        assertThat(BeamLengthConvention.forHfVersion("5.18.0")).isEqualTo(BeamLengthConvention.HF_4_57);
    }
}
