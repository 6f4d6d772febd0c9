package io.github.asyncore.core.internal.loop;

import java.util.concurrent.TimeUnit;

/**
 * Lets one log line of a kind through at most every 10 seconds and counts the lines it holds back, so
 * that a flood of the same event (connections refused at a listener's limit, channels closed for their
 * output, failed TLS handshakes) costs one line per interval instead of one per event. The first event is
 * logged at once; the next line that is let through says how many were held back since the last one.
 * The events themselves are counted exactly elsewhere (the loop's counters and meters).
 * <pre>{@code
 * long held = throttle.admit(System.nanoTime());
 * if (held >= 0) {
 *     logger.warn("...; logged at most every 10 s; {} more since the last log", held);
 * }
 * }</pre>
 * One per loop (or per listener) and kind of event. Not thread-safe: loop thread only.
 */
public final class LogThrottle {

    /** How long after a line the next one of the kind is held back. */
    public static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private boolean loggedOnce;

    private long loggedNanos;

    private long held;

    /**
     * Decides whether an event may be logged now.
     * @param nowNanos the current {@link System#nanoTime()}
     * @return {@code -1} when the line is held back (and counted); otherwise the number of lines held
     *         back since the last one, to be logged with this one
     */
    public long admit(long nowNanos) {
        if (this.loggedOnce && nowNanos - this.loggedNanos < INTERVAL_NANOS) {
            this.held++;
            return -1;
        }
        this.loggedOnce = true;
        this.loggedNanos = nowNanos;
        long since = this.held;
        this.held = 0;
        return since;
    }

    /** @return how many lines were held back since the last one let through */
    public long held() {
        return this.held;
    }

}
