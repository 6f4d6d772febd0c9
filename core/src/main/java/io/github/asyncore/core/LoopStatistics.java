package io.github.asyncore.core;

/**
 * The loop-wide counters of one loop, written by the loop thread (and by dispatchers on it) and read by
 * observers on any thread. One writer per field, so plain volatile increments are exact. What a channel's
 * traffic adds up to is counted per dispatcher name, in {@link DispatcherCounters}.
 */
final class LoopStatistics {

    /** The loop's clock: the last {@code System.nanoTime()} it read, refreshed around every callback. */
    long now = System.nanoTime();

    volatile long iterations;

    volatile long stalls;

    volatile long handlerRuns;

    volatile long handlerNanos;

    /** Limits the log lines of output-limit closes on this loop. Loop thread. */
    final LogThrottle outputLimitLog = new LogThrottle();

    /** Limits the log lines of failed TLS handshakes on this loop. Loop thread. */
    final LogThrottle tlsHandshakeFailureLog = new LogThrottle();

    void iterationDone() {
        this.iterations++;
    }

    void stall() {
        this.stalls++;
    }

    void handlerRan(long nanos) {
        this.handlerRuns++;
        this.handlerNanos += nanos;
    }

}
