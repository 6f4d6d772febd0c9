package io.github.asyncore.core.internal.loop;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * Watches how long the loop's callbacks run (handlers, tasks, timers, shutdown hooks): since when the one
 * running now has run, so that a snapshot taken on another thread sees a loop blocked right now, and which
 * ran longer than the stall threshold, counted in {@link LoopStatistics#stalls} and logged.
 * <p>
 * Times are {@link System#nanoTime()} nanoseconds. {@link #begin}, {@link #end} and {@link #check} are for
 * the loop thread; the threshold and {@link #busyFor()} may be used from any thread.
 */
public final class StallWatch {

    private static final long NOT_BUSY = Long.MIN_VALUE;

    private final String loopName;

    private final Logger logger;

    private final LoopStatistics statistics;

    private volatile long thresholdNanos;

    /** When the callback running now began, or {@link #NOT_BUSY}; written by the loop thread only. */
    private volatile long busySinceNanos = NOT_BUSY;

    /**
     * @param loopName the loop's name, for the log line
     * @param logger where stalls are logged: the loop's own logger, whose category operators configure
     * @param statistics where stalls are counted
     * @param thresholdNanos the run time above which a callback counts as a stall, positive
     */
    public StallWatch(String loopName, Logger logger, LoopStatistics statistics, long thresholdNanos) {
        this.loopName = loopName;
        this.logger = logger;
        this.statistics = statistics;
        this.thresholdNanos = thresholdNanos;
    }

    /** @return the run time above which a callback counts as a stall, in nanoseconds; any thread */
    public long thresholdNanos() {
        return this.thresholdNanos;
    }

    /** @param thresholdNanos the run time above which a callback counts as a stall, positive; any thread */
    public void setThresholdNanos(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
    }

    /** @param startNanos when the callback about to run began; loop thread */
    public void begin(long startNanos) {
        this.busySinceNanos = startNanos;
    }

    /** The callback that {@link #begin} announced has returned (or thrown); loop thread. */
    public void end() {
        this.busySinceNanos = NOT_BUSY;
    }

    /**
     * Counts and logs a callback that ran longer than the threshold; does nothing for one that did not.
     * Loop thread.
     * @param source what ran, named in the log line by its {@code toString()}
     * @param tookNanos how long it ran
     */
    public void check(Object source, long tookNanos) {
        if (tookNanos > this.thresholdNanos) {
            this.statistics.stall();
            this.logger.warn("{}: {} ran for {} ms, over the stall threshold of {} ms; handlers must not block the"
                    + " loop", this.loopName, source, TimeUnit.NANOSECONDS.toMillis(tookNanos),
                    TimeUnit.NANOSECONDS.toMillis(this.thresholdNanos));
        }
    }

    /** @return how long the callback running now has run, zero when none runs; any thread */
    public Duration busyFor() {
        long busySince = this.busySinceNanos;
        return (busySince != NOT_BUSY) ? Duration.ofNanos(System.nanoTime() - busySince) : Duration.ZERO;
    }

}
