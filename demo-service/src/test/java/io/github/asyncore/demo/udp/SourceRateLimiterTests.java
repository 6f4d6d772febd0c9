package io.github.asyncore.demo.udp;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The token buckets, on a clock the tests move by hand: no sockets, no sleeping. */
class SourceRateLimiterTests {

    private static final long MILLI = 1_000_000L;

    private static final long SECOND = 1_000 * MILLI;

    /** An arbitrary start, far from zero: readings of {@link System#nanoTime()} may be anything. */
    private static final long T0 = -7_000 * SECOND;

    private static final InetAddress A = address(10, 0, 0, 1);

    private static final InetAddress B = address(10, 0, 0, 2);

    private static final InetAddress C = address(10, 0, 0, 3);

    private static final InetAddress D = address(10, 0, 0, 4);

    @Test
    void aNewSourceMaySendItsBurstAtOnceAndNotOneMore() {
        SourceRateLimiter limiter = new SourceRateLimiter(100, 200, 10);
        assertThat(passed(limiter, A, T0, 200)).isEqualTo(200);
        assertThat(limiter.acquire(A, T0)).isEqualTo(DropReason.RATE_LIMITED);
    }

    @Test
    void tokensComeBackAtTheRate() {
        SourceRateLimiter limiter = new SourceRateLimiter(100, 200, 10);
        passed(limiter, A, T0, 200);
        assertThat(limiter.acquire(A, T0 + 9 * MILLI)).as("9 ms: not yet a whole token").isNotNull();
        assertThat(limiter.acquire(A, T0 + 10 * MILLI)).as("10 ms at 100/s: one token").isNull();
        assertThat(limiter.acquire(A, T0 + 10 * MILLI)).isEqualTo(DropReason.RATE_LIMITED);
        assertThat(passed(limiter, A, T0 + 510 * MILLI, 1_000)).as("half a second later: 50 tokens").isEqualTo(50);
    }

    @Test
    void aBucketHoldsNoMoreThanTheBurst() {
        SourceRateLimiter limiter = new SourceRateLimiter(100, 200, 10);
        passed(limiter, A, T0, 1);
        assertThat(passed(limiter, A, T0 + 3_600 * SECOND, 1_000)).as("an hour idle").isEqualTo(200);
    }

    @Test
    void sourcesHaveBucketsOfTheirOwn() {
        SourceRateLimiter limiter = new SourceRateLimiter(100, 5, 10);
        assertThat(passed(limiter, A, T0, 100)).isEqualTo(5);
        assertThat(passed(limiter, B, T0, 100)).isEqualTo(5);
        assertThat(limiter.trackedSources()).isEqualTo(2);
    }

    @Test
    void aFullTableForgetsTheLeastRecentlySeenSourceOnceItsBucketHasRefilled() {
        // burst 20 at 10/s: an empty bucket is full again after 2 s
        SourceRateLimiter limiter = new SourceRateLimiter(10, 20, 2);
        passed(limiter, A, T0, 1);
        passed(limiter, B, T0 + SECOND, 1);
        passed(limiter, A, T0 + 2 * SECOND, 1); // A seen again: B is now the least recently seen
        assertThat(limiter.acquire(C, T0 + 3 * SECOND - 1)).as("B seen 2 s ago less 1 ns: not yet forgotten")
            .isNull();
        assertThat(limiter.isTracked(C)).isFalse();
        assertThat(limiter.acquire(C, T0 + 3 * SECOND)).isNull();
        assertThat(limiter.isTracked(C)).isTrue();
        assertThat(limiter.isTracked(B)).isFalse();
        assertThat(limiter.isTracked(A)).isTrue();
        assertThat(limiter.trackedSources()).isEqualTo(2);
    }

    @Test
    void whenTheTableIsFullOfRecentSourcesNewOnesShareOneBucket() {
        SourceRateLimiter limiter = new SourceRateLimiter(10, 20, 2);
        passed(limiter, A, T0, 1);
        passed(limiter, B, T0, 1);
        assertThat(passed(limiter, C, T0 + MILLI, 15)).isEqualTo(15);
        assertThat(passed(limiter, D, T0 + MILLI, 15)).as("what C left of the shared burst").isEqualTo(5);
        assertThat(limiter.acquire(C, T0 + MILLI)).isEqualTo(DropReason.SHARED_RATE_LIMITED);
        assertThat(limiter.trackedSources()).isEqualTo(2);
        assertThat(limiter.isTracked(C)).isFalse();
        assertThat(limiter.isTracked(D)).isFalse();
        assertThat(limiter.acquire(D, T0 + MILLI + 100 * MILLI)).as("the shared bucket refills at the rate too")
            .isNull();
        assertThat(passed(limiter, A, T0 + MILLI, 100)).as("tracked sources keep their own buckets").isEqualTo(19);
    }

    @Test
    void aFloodingSourceIsNotForgivenByPushingItOutOfTheTable() {
        SourceRateLimiter limiter = new SourceRateLimiter(10, 20, 1);
        passed(limiter, A, T0, 100);
        assertThat(limiter.acquire(A, T0)).isEqualTo(DropReason.RATE_LIMITED);
        assertThat(limiter.acquire(B, T0 + MILLI)).as("no room: B shares the spare bucket").isNull();
        assertThat(limiter.isTracked(A)).isTrue();
        assertThat(limiter.acquire(A, T0 + 2 * MILLI)).as("A's empty bucket is still A's").isEqualTo(DropReason.RATE_LIMITED);
    }

    @Test
    void theTableNeverHoldsMoreThanMaxSources() {
        SourceRateLimiter limiter = new SourceRateLimiter(100, 200, 1_000);
        for (int i = 0; i < 50_000; i++) {
            limiter.acquire(address(10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff), T0 + i * MILLI);
        }
        assertThat(limiter.trackedSources()).isEqualTo(1_000);
    }

    /** @return how many of {@code count} datagrams at one instant may be answered */
    private static int passed(SourceRateLimiter limiter, InetAddress source, long now, int count) {
        int passed = 0;
        for (int i = 0; i < count; i++) {
            if (limiter.acquire(source, now) == null) {
                passed++;
            }
        }
        return passed;
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] { (byte) a, (byte) b, (byte) c, (byte) d });
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

}
