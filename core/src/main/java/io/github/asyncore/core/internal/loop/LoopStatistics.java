package io.github.asyncore.core.internal.loop;

/**
 * The loop-wide counters of one loop, written by the loop thread (and by dispatchers on it) and read by
 * observers on any thread. One writer per field, so plain volatile increments are exact. What a channel's
 * traffic adds up to is counted per dispatcher name, in the channel layer's {@code DispatcherCounters}.
 */
public final class LoopStatistics {

    /** The loop's clock: the last {@code System.nanoTime()} it read, refreshed around every callback. */
    public long now = System.nanoTime();

    public volatile long iterations;

    public volatile long stalls;

    public volatile long handlerRuns;

    public volatile long handlerNanos;

    /** Time in tasks and timers, nanoseconds; with {@link #handlerNanos}, the loop's busy time. */
    public volatile long taskNanos;

    /** Channels flagged for a {@code writable()} that stayed true while nothing was written. */
    public volatile long spinningWriters;

    /** Channels flagged for a {@code readable()} that stayed false while input waited. */
    public volatile long stuckReaders;

    /** Limits the log lines of output-limit closes on this loop. Loop thread. */
    public final LogThrottle outputLimitLog = new LogThrottle();

    /** Limits the log lines of failed TLS handshakes on this loop. Loop thread. */
    public final LogThrottle tlsHandshakeFailureLog = new LogThrottle();

    public void iterationDone() {
        this.iterations++;
    }

    public void stall() {
        this.stalls++;
    }

    public void taskRan(long nanos) {
        this.taskNanos += nanos;
    }

    public void handlerRan(long nanos) {
        this.handlerRuns++;
        this.handlerNanos += nanos;
    }

}
