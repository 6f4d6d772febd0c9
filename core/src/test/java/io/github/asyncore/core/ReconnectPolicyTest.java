package io.github.asyncore.core;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The back-off of {@link ReconnectPolicy}: growth, cap, jitter and the checks of its values. */
class ReconnectPolicyTest {

    /** A generator that always draws the same value, to pin the jitter. */
    private static RandomGenerator always(double value) {
        return new RandomGenerator() {

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }

        };
    }

    @Test
    void delaysGrowByTheMultiplierFromTheInitialDelay() {
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMinutes(1), 2.0, 0.0);

        assertThat(policy.delay(1, always(0.5))).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delay(2, always(0.5))).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delay(3, always(0.5))).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delay(8, always(0.5))).isEqualTo(Duration.ofMillis(12_800));
    }

    @Test
    void delaysStopGrowingAtTheMaxDelay() {
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, 0.0);

        assertThat(policy.delay(3, always(0))).isEqualTo(Duration.ofMillis(900));
        assertThat(policy.delay(4, always(0))).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delay(1_000, always(0))).as("no overflow however many attempts")
            .isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delay(Integer.MAX_VALUE, always(0))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void multiplierOfOneKeepsTheDelayFixed() {
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(250), Duration.ofSeconds(5), 1.0, 0.0);

        assertThat(policy.delay(1, always(0))).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.delay(50, always(0))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void jitterTakesUpToItsFractionOffTheDelay() {
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, 0.2);

        assertThat(policy.delay(2, always(0.0))).as("nothing taken off").isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delay(2, always(0.5))).isEqualTo(Duration.ofMillis(180));
        assertThat(policy.delay(10, always(0.5))).as("jitter applies to the capped delay too")
            .isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void jitteredDelaysStayWithinTheirBounds() {
        RandomGenerator random = new SplittableRandom(42);
        for (double jitter : new double[] { 0.0, 0.2, 0.5, 1.0 }) {
            ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 2.0, jitter);
            for (int attempt = 1; attempt <= 20; attempt++) {
                long fullNanos = Duration.ofMillis(Math.min(400, 50L << Math.min(attempt - 1, 20))).toNanos();
                Duration shortest = Duration.ofNanos((long) Math.floor(fullNanos * (1.0 - jitter)));
                for (int i = 0; i < 200; i++) {
                    assertThat(policy.delay(attempt, random)).as("attempt %d, jitter %s", attempt, jitter)
                        .isBetween(shortest, Duration.ofNanos(fullNanos))
                        .isLessThanOrEqualTo(policy.maxDelay());
                }
            }
        }
    }

    @Test
    void fullJitterNeverGoesBelowZero() {
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 1.0);

        assertThat(policy.delay(1, always(Math.nextDown(1.0)))).isBetween(Duration.ZERO, Duration.ofMillis(1));
        assertThat(policy.delay(1, always(1.0))).isZero();
    }

    @Test
    void defaultIsOneHundredMillisecondsDoublingToThirtySecondsWithTwentyPercentJitter() {
        assertThat(ReconnectPolicy.DEFAULT)
            .isEqualTo(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 0.2));
        assertThat(ReconnectPolicy.DEFAULT.delay(20, always(0))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withMethodsChangeOneValue() {
        ReconnectPolicy policy = ReconnectPolicy.DEFAULT.withInitialDelay(Duration.ofMillis(10))
            .withMaxDelay(Duration.ofSeconds(2))
            .withMultiplier(1.5)
            .withJitter(0.0);

        assertThat(policy).isEqualTo(new ReconnectPolicy(Duration.ofMillis(10), Duration.ofSeconds(2), 1.5, 0.0));
    }

    @Test
    void initialDelayMustBePositive() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), 2.0, 0.2))
            .withMessageContaining("initialDelay");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new ReconnectPolicy(Duration.ofMillis(-1), Duration.ofSeconds(1), 2.0, 0.2))
            .withMessageContaining("initialDelay");
    }

    @Test
    void maxDelayMustNotBeBelowTheInitialDelay() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0.2))
            .withMessageContaining("maxDelay")
            .withMessageContaining("initialDelay");
        assertThat(new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 0.2).delay(5, always(0)))
            .as("equal is fine")
            .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void multiplierMustBeAtLeastOne() {
        for (double multiplier : new double[] { 0.99, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY }) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReconnectPolicy(Duration.ofMillis(1), Duration.ofSeconds(1), multiplier, 0.2))
                .withMessageContaining("multiplier");
        }
    }

    @Test
    void jitterMustBeAFractionFromZeroToOne() {
        for (double jitter : new double[] { -0.01, 1.01, Double.NaN }) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReconnectPolicy(Duration.ofMillis(1), Duration.ofSeconds(1), 2.0, jitter))
                .withMessageContaining("jitter");
        }
    }

    @Test
    void nullDurationsAreNamed() {
        org.assertj.core.api.Assertions.assertThatNullPointerException()
            .isThrownBy(() -> new ReconnectPolicy(null, Duration.ofSeconds(1), 2.0, 0.2))
            .withMessage("initialDelay");
        org.assertj.core.api.Assertions.assertThatNullPointerException()
            .isThrownBy(() -> new ReconnectPolicy(Duration.ofMillis(1), null, 2.0, 0.2))
            .withMessage("maxDelay");
    }

    @Test
    void attemptsCountFromOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReconnectPolicy.DEFAULT.delay(0, always(0)))
            .withMessageContaining("attempt");
    }

}
