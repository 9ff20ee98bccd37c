package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Q is pre-scaled at load only where that is exact: sqrt(head_dim) a power of two. */
class QueryPreScalingTest {

    @Test
    void headDimsWithAPowerOfTwoRootArePreScaledByItsInverse() {
        assertThat(Gpt2Weights.exactQueryScale(64)).isEqualTo(0.125f); // every GPT-2 size
        assertThat(Gpt2Weights.exactQueryScale(16)).isEqualTo(0.25f); // the tiny fixtures
        assertThat(Gpt2Weights.exactQueryScale(4)).isEqualTo(0.5f);
    }

    @Test
    void otherHeadDimsKeepTheDivisionInTheForwardPass() {
        assertThat(Gpt2Weights.exactQueryScale(32)).isEqualTo(1f); // sqrt is irrational
        assertThat(Gpt2Weights.exactQueryScale(36)).isEqualTo(1f); // root 6: 1/6 is inexact in float
        assertThat(Gpt2Weights.exactQueryScale(48)).isEqualTo(1f);
        assertThat(Gpt2Weights.exactQueryScale(1)).isEqualTo(1f); // nothing to fold
    }
}
