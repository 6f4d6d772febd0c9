package io.github.asyncore.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How much output one channel may owe its peer before the channel is closed, whoever made that output:
 * the channel's own handlers, other channels' handlers (a broadcast), timers, or other threads. The water
 * marks ({@link WriteBufferWaterMark}) slow down a peer whose requests make the output (they stop reading
 * from it); these limits end a channel whose peer does not take what others push at it, as Redis's
 * {@code client-output-buffer-limit} does:
 * <ul>
 * <li>pending output above the {@code hard} limit closes the channel at once;</li>
 * <li>pending output above the {@code soft} limit for {@code softDuration} without a break closes it
 * too, so that a peer that falls behind and never catches up is let go before it reaches the hard
 * limit.</li>
 * </ul>
 * Such a close drops what is still queued (the peer was not reading it) and reports
 * {@link CloseReason#OUTPUT_LIMIT}. Pending output counts bytes queued on the loop and bytes handed in
 * from other threads that have not reached the loop yet; a producer's bytes count once it made them.
 * <p>
 * Immutable and safe to share between threads.
 *
 * @param hard pending output, in bytes, above which the channel is closed at once; 0 for no limit
 * @param soft pending output, in bytes, above which the channel may stay only for {@code softDuration};
 *        0 for no limit
 * @param softDuration how long pending output may stay above the soft limit; zero closes at once
 */
public record OutputLimit(long hard, long soft, Duration softDuration) {

    /**
     * 4 MiB hard, 1 MiB soft for 10 seconds: 64 and 16 times the default high water mark, so that output
     * a channel makes in answer to its own input (held near the high mark) never meets them, while a
     * peer that reads nothing of a broadcast is closed within seconds; 16 such peers at the hard limit fit
     * in a loop's default output memory ({@link ChannelMap#DEFAULT_MAX_OUTPUT_MEMORY}). A peer that reads
     * at all drains 1 MiB in 10 seconds at 100 KiB/s.
     */
    public static final OutputLimit DEFAULT = new OutputLimit(4L * 1024 * 1024, 1024L * 1024, Duration.ofSeconds(10));

    /** No limit: output grows until the loop's output memory or the JVM's direct memory runs out. */
    public static final OutputLimit NONE = new OutputLimit(0, 0, Duration.ZERO);

    /**
     * Checks the limits.
     * @throws IllegalArgumentException when a limit is negative, the soft limit is above the hard one, or
     *         the duration is negative
     */
    public OutputLimit {
        if (hard < 0) {
            throw new IllegalArgumentException("output hard limit must be 0 (no limit) or more, was " + hard);
        }
        if (soft < 0) {
            throw new IllegalArgumentException("output soft limit must be 0 (no limit) or more, was " + soft);
        }
        if (hard > 0 && soft > hard) {
            throw new IllegalArgumentException(
                    "output soft limit (" + soft + ") must not be above the hard limit (" + hard + ")");
        }
        Objects.requireNonNull(softDuration, "output soft limit duration must not be null");
        if (softDuration.isNegative()) {
            throw new IllegalArgumentException("output soft limit duration must not be negative, was " + softDuration);
        }
    }

    /**
     * @param pendingBytes output owed now
     * @return whether that is above the hard limit
     */
    public boolean overHard(long pendingBytes) {
        return this.hard > 0 && pendingBytes > this.hard;
    }

    /**
     * @param pendingBytes output owed now
     * @return whether that is above the soft limit
     */
    public boolean overSoft(long pendingBytes) {
        return this.soft > 0 && pendingBytes > this.soft;
    }

}
