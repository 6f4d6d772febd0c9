package io.github.asyncore.core;

import io.github.asyncore.core.internal.loop.LogThrottle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LogThrottle} on a clock the test moves. */
class LogThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    private final LogThrottle throttle = new LogThrottle();

    @Test
    void theFirstLineGoesAtOnceAndTheNextOnlyAfterTenSecondsWithTheCountHeldBack() {
        long start = -5 * SECOND; // nanoTime may be negative, or zero
        assertThat(this.throttle.admit(start)).isZero();
        for (int i = 1; i <= 49; i++) {
            assertThat(this.throttle.admit(start + i * 100_000_000L)).isEqualTo(-1);
        }
        assertThat(this.throttle.held()).isEqualTo(49);
        assertThat(this.throttle.admit(start + 10 * SECOND - 1)).isEqualTo(-1);
        assertThat(this.throttle.admit(start + 10 * SECOND)).isEqualTo(50);
        assertThat(this.throttle.held()).isZero();
        assertThat(this.throttle.admit(start + 11 * SECOND)).isEqualTo(-1);
        assertThat(this.throttle.admit(start + 25 * SECOND)).isEqualTo(1);
    }

    @Test
    void aQuietSpellLetsTheNextLineThroughWithNothingHeldBack() {
        assertThat(this.throttle.admit(0)).isZero();
        assertThat(this.throttle.admit(60 * SECOND)).isZero();
        assertThat(this.throttle.admit(60 * SECOND + 1)).isEqualTo(-1);
    }

}
