package io.github.asyncore.demo.support;

/**
 * A token bucket: it holds up to {@code burst} tokens, starts full and gains {@code ratePerSecond} tokens a
 * second; each event takes one, and an event that finds none is over the rate. The chat limits each
 * chatter's lines with one, the UDP echo each source address's datagrams.
 * <p>
 * Time is the caller's ({@link System#nanoTime()} readings), so that tests drive the clock. Not
 * thread-safe: one loop thread uses it.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerSecond;

    private final int burst;

    /** How long an empty bucket takes to fill: time past that adds nothing. */
    private final long fillNanos;

    private double tokens;

    private long lastNanos;

    /**
     * Creates a full bucket.
     * @param ratePerSecond tokens gained a second, more than 0
     * @param burst tokens held at most, at least 1
     * @param nowNanos the time
     */
    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("the rate must be more than 0 and the burst at least 1, not "
                    + ratePerSecond + " and " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.fillNanos = fillNanos(ratePerSecond, burst);
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /**
     * @param ratePerSecond tokens gained a second
     * @param burst tokens held at most
     * @return how long an empty bucket takes to fill up, in nanoseconds, rounded up
     */
    public static long fillNanos(double ratePerSecond, int burst) {
        return (long) Math.ceil(burst * NANOS_PER_SECOND / ratePerSecond);
    }

    /**
     * Adds the tokens gained since the last call, then takes one if the bucket holds one.
     * @param nowNanos the time
     * @return whether the event is within the rate (and took its token)
     */
    public boolean tryTake(long nowNanos) {
        long elapsed = Math.min(Math.max(0, nowNanos - this.lastNanos), this.fillNanos);
        this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond / NANOS_PER_SECOND);
        this.lastNanos = nowNanos;
        if (this.tokens < 1) {
            return false;
        }
        this.tokens -= 1;
        return true;
    }

    /** @return when the bucket was last used ({@link #tryTake} or creation) */
    public long lastNanos() {
        return this.lastNanos;
    }

}
