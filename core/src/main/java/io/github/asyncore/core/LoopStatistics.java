package io.github.asyncore.core;

/**
 * Counters of one loop, written by the loop thread (and by dispatchers on it) and read by observers on
 * any thread. One writer per field, so plain volatile increments are exact.
 */
final class LoopStatistics {

    /** The loop's clock: the last {@code System.nanoTime()} it read, refreshed around every callback. */
    long now = System.nanoTime();

    volatile long iterations;

    volatile long stalls;

    volatile long handlerErrors;

    volatile long idleTimeouts;

    volatile long connectTimeouts;

    volatile long bytesRead;

    volatile long bytesWritten;

    volatile long connectionsAccepted;

    volatile long connectionsRejected;

    volatile long connectionsRefused;

    volatile long tlsHandshakes;

    volatile long tlsHandshakeFailures;

    volatile long handlerRuns;

    volatile long outputHardLimitCloses;

    volatile long outputSoftLimitCloses;

    volatile long outputMemoryCloses;

    /** Limits the log lines of output-limit closes on this loop. Loop thread. */
    final LogThrottle outputLimitLog = new LogThrottle();

    /** Limits the log lines of failed TLS handshakes on this loop. Loop thread. */
    final LogThrottle tlsHandshakeFailureLog = new LogThrottle();

    volatile long handlerNanos;

    void iterationDone() {
        this.iterations++;
    }

    void stall() {
        this.stalls++;
    }

    void handlerError() {
        this.handlerErrors++;
    }

    void idleTimeout() {
        this.idleTimeouts++;
    }

    void connectTimeout() {
        this.connectTimeouts++;
    }

    void bytesRead(long count) {
        this.bytesRead += count;
    }

    void bytesWritten(long count) {
        this.bytesWritten += count;
    }

    void connectionAccepted() {
        this.connectionsAccepted++;
    }

    void connectionRejected() {
        this.connectionsRejected++;
    }

    void connectionRefused() {
        this.connectionsRefused++;
    }

    void tlsHandshake() {
        this.tlsHandshakes++;
    }

    void tlsHandshakeFailed() {
        this.tlsHandshakeFailures++;
    }

    void outputLimitClose(OutputOverflow overflow) {
        switch (overflow) {
            case HARD -> this.outputHardLimitCloses++;
            case SOFT -> this.outputSoftLimitCloses++;
            case MEMORY -> this.outputMemoryCloses++;
        }
    }

    void handlerRan(long nanos) {
        this.handlerRuns++;
        this.handlerNanos += nanos;
    }

}
