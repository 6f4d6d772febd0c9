package io.github.asyncore.demo.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TokenBucket} on a clock the test drives: the burst at once, then the rate, never more than the
 * burst however long it rests.
 */
class TokenBucketTests {

    @Test
    void aBucketAllowsItsBurstThenItsRate() {
        long second = 1_000_000_000L;
        TokenBucket rate = new TokenBucket(10, 20, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(rate.tryTake(0)).as("line %d of the burst", i + 1).isTrue();
        }
        assertThat(rate.tryTake(0)).isFalse();
        assertThat(rate.tryTake(second / 20)).as("half a line's time later").isFalse();
        assertThat(rate.tryTake(second / 10)).as("a line's time later").isTrue();
        assertThat(rate.tryTake(second / 10)).isFalse();
        int allowed = 0;
        for (long now = second / 10; now <= 100 * second; now += second / 1000) {
            if (rate.tryTake(now)) {
                allowed++;
            }
        }
        assertThat(allowed).as("lines in the next 99.9 s").isBetween(998, 999);
        assertThat(rate.tryTake(1_000 * second)).isTrue(); // refilled, but never above the burst:
        int burst = 1;
        while (rate.tryTake(1_000 * second)) {
            burst++;
        }
        assertThat(burst).isEqualTo(20);
    }

}
