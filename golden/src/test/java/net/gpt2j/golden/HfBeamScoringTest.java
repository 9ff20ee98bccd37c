package net.gpt2j.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HfBeamScoringTest {

    @Test
    void eachVersionMapsToTheLengthItsBeamSearchDividesBy() {
        assertThat(HfBeamScoring.forVersion("3.5.1")).isEqualTo(HfBeamScoring.PROMPT_PLUS_GENERATED);
        assertThat(HfBeamScoring.forVersion("4.28.1")).isEqualTo(HfBeamScoring.PROMPT_PLUS_GENERATED);
        assertThat(HfBeamScoring.forVersion("4.28.1+recon.50f82e128")).isEqualTo(HfBeamScoring.PROMPT_PLUS_GENERATED);
        assertThat(HfBeamScoring.forVersion("4.35.2")).isEqualTo(HfBeamScoring.PROMPT_PLUS_GENERATED);
        assertThat(HfBeamScoring.forVersion("4.36.0")).isEqualTo(HfBeamScoring.GENERATED_WITHOUT_END_TOKEN);
        assertThat(HfBeamScoring.forVersion("4.36.0.dev0")).isEqualTo(HfBeamScoring.GENERATED_WITHOUT_END_TOKEN);
        assertThat(HfBeamScoring.forVersion("4.48.3")).isEqualTo(HfBeamScoring.GENERATED_WITHOUT_END_TOKEN);
        assertThat(HfBeamScoring.forVersion("4.50.0")).isEqualTo(HfBeamScoring.GENERATED);
        assertThat(HfBeamScoring.forVersion("4.57.6")).isEqualTo(HfBeamScoring.GENERATED);
        assertThat(HfBeamScoring.forVersion("5.18.0")).isEqualTo(HfBeamScoring.GENERATED);
    }

    @Test
    void somethingThatIsNoVersionAndTheUnsettled449AreRefusedByName() {
        assertThatThrownBy(() -> HfBeamScoring.forVersion("unknown")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a HuggingFace transformers version: 'unknown' (expected e.g. 4.28.1 or 4.57.6)");
        assertThatThrownBy(() -> HfBeamScoring.forVersion("4")).hasMessageContaining("'4'");
        assertThatThrownBy(() -> HfBeamScoring.forVersion("4.49.0")).hasMessageStartingWith("transformers 4.49.0: its beam scoring");
    }
}
