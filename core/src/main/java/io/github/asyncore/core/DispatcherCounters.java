package io.github.asyncore.core;

/**
 * The traffic counters of one dispatcher name in one map (see {@link ChannelMap#traffic()}), shared by every
 * channel of the map counted under that name. Each channel holds its object from the moment it joins the map,
 * so counting costs one increment and no look-up. Written by the loop thread only (one writer per field, so
 * plain volatile increments are exact, as in {@link LoopStatistics}); read by observers on any thread.
 */
final class DispatcherCounters {

    private final String name;

    volatile long bytesRead;

    volatile long bytesWritten;

    volatile long connectionsAccepted;

    volatile long connectionsRejected;

    volatile long connectionsRefused;

    volatile long handlerErrors;

    volatile long idleTimeouts;

    volatile long connectTimeouts;

    volatile long tlsHandshakes;

    volatile long tlsHandshakeFailures;

    volatile long outputHardLimitCloses;

    volatile long outputSoftLimitCloses;

    volatile long outputMemoryCloses;

    DispatcherCounters(String name) {
        this.name = name;
    }

    /** @return the dispatcher name these counters count under */
    String name() {
        return this.name;
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

    void handlerError() {
        this.handlerErrors++;
    }

    void idleTimeout() {
        this.idleTimeouts++;
    }

    void connectTimeout() {
        this.connectTimeouts++;
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

    /**
     * Adds these counters to an accumulator that no other thread sees (the loop's totals for a snapshot). Any
     * thread.
     * @param total the accumulator
     */
    void addTo(DispatcherCounters total) {
        total.bytesRead += this.bytesRead;
        total.bytesWritten += this.bytesWritten;
        total.connectionsAccepted += this.connectionsAccepted;
        total.connectionsRejected += this.connectionsRejected;
        total.connectionsRefused += this.connectionsRefused;
        total.handlerErrors += this.handlerErrors;
        total.idleTimeouts += this.idleTimeouts;
        total.connectTimeouts += this.connectTimeouts;
        total.tlsHandshakes += this.tlsHandshakes;
        total.tlsHandshakeFailures += this.tlsHandshakeFailures;
        total.outputHardLimitCloses += this.outputHardLimitCloses;
        total.outputSoftLimitCloses += this.outputSoftLimitCloses;
        total.outputMemoryCloses += this.outputMemoryCloses;
    }

    /**
     * Reads the counters now. Any thread.
     * @param loop the name of the map's loop
     * @return an immutable copy
     */
    DispatcherTraffic snapshot(String loop) {
        return new DispatcherTraffic(loop, this.name, this.bytesRead, this.bytesWritten, this.connectionsAccepted,
                this.connectionsRejected, this.connectionsRefused, this.handlerErrors, this.idleTimeouts,
                this.connectTimeouts, this.tlsHandshakes, this.tlsHandshakeFailures, this.outputHardLimitCloses,
                this.outputSoftLimitCloses, this.outputMemoryCloses);
    }

}
