package net.gpt2j.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class TolerancesTest {

    @Test
    void defaultsAreTheDocumentedTable() {
        Tolerances t = Tolerances.defaults();
        assertThat(t.logitsAbs()).isEqualTo(1e-4);
        assertThat(t.beamScoreRel()).isEqualTo(1e-4);
        assertThat(t.sequenceLogprobRel()).isEqualTo(1e-4);
        assertThat(t.perplexityRel()).isEqualTo(1e-4);
        assertThat(t.warperProbAbs()).isEqualTo(1e-5);
        assertThat(t.activationAbs()).isEqualTo(2e-5);
        assertThat(t.activationRel()).isEqualTo(1e-5);
        assertThat(t.nearTieGap()).isEqualTo(1e-3, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void propertiesOverrideSingleTolerancesAndMoveTheNearTieThresholdWithTheLogits() {
        Properties p = new Properties();
        p.setProperty("gpt2.tolerance.logits", "1e-3");
        p.setProperty("gpt2.tolerance.activationRel", "0");
        p.setProperty("unrelated.property", "x");
        Tolerances t = Tolerances.builder().overrideFrom(p).build();

        assertThat(t.logitsAbs()).isEqualTo(1e-3);
        assertThat(t.activationRel()).isZero();
        assertThat(t.nearTieGap()).isEqualTo(1e-2, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(t.beamScoreRel()).isEqualTo(1e-4);
    }

    @Test
    void aMistypedOrNonNumericPropertyIsRefusedByName() {
        Properties typo = new Properties();
        typo.setProperty("gpt2.tolerance.logit", "1e-3");
        Properties nan = new Properties();
        nan.setProperty("gpt2.tolerance.beamScore", "tight");

        assertThatThrownBy(() -> Tolerances.builder().overrideFrom(typo))
                .hasMessageStartingWith("unknown tolerance property gpt2.tolerance.logit;");
        assertThatThrownBy(() -> Tolerances.builder().overrideFrom(nan))
                .hasMessage("system property gpt2.tolerance.beamScore must be a number, got \"tight\"");
        assertThatThrownBy(() -> Tolerances.builder().logitsAbs(-1))
                .hasMessageContaining("gpt2.tolerance.logits must be a finite number >= 0");
    }
}
