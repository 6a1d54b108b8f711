package io.github.clipage.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.clipage.prediction.AgeEstimate.AgeProbability;
import org.junit.jupiter.api.Test;

class AgeEstimateTest {

    private static final int[] AGES = {1, 2, 3, 4, 5};

    @Test
    void mostProbableAgeIsFirstOnTie() {
        AgeEstimate estimate = AgeEstimate.fromProbabilities(AGES, new float[] {0.1f, 0.3f, 0.3f, 0.2f, 0.1f});

        assertThat(estimate.age()).isEqualTo(2);
        assertThat(estimate.probability()).isCloseTo(0.3, within(1e-7));
    }

    @Test
    void expectedAgeIsProbabilityWeightedMean() {
        AgeEstimate estimate = AgeEstimate.fromProbabilities(AGES, new float[] {0.5f, 0f, 0f, 0f, 0.5f});

        assertThat(estimate.expectedAge()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void centralIntervalCutsEqualTails() {
        AgeEstimate estimate = AgeEstimate.fromProbabilities(AGES, new float[] {0.05f, 0.15f, 0.6f, 0.15f, 0.05f});

        assertThat(estimate.interval(0.8)).isEqualTo(new AgeEstimate.Interval(0.8, 2, 4));
        assertThat(estimate.interval(0.5)).isEqualTo(new AgeEstimate.Interval(0.5, 3, 3));
        assertThat(estimate.interval(0.95)).isEqualTo(new AgeEstimate.Interval(0.95, 1, 5));
    }

    @Test
    void intervalLevelOutsideZeroToOneIsRejected() {
        AgeEstimate estimate = AgeEstimate.fromProbabilities(AGES, new float[] {0.2f, 0.2f, 0.2f, 0.2f, 0.2f});

        assertThatThrownBy(() -> estimate.interval(1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> estimate.interval(0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> estimate.interval(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topAgesAreSortedAndTiesGoToYounger() {
        AgeEstimate estimate = AgeEstimate.fromProbabilities(AGES, new float[] {0.1f, 0.3f, 0.1f, 0.3f, 0.2f});

        assertThat(estimate.top(3)).extracting(AgeProbability::age).containsExactly(2, 4, 5);
        assertThat(estimate.top(10)).hasSize(5);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThatThrownBy(() -> AgeEstimate.fromProbabilities(AGES, new float[] {1f}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
