package io.github.asyncore.core.internal.channel;

import io.github.asyncore.core.DispatcherTraffic;
import io.github.asyncore.core.internal.loop.LoopStatistics;

/**
 * The traffic counters of one dispatcher name in one map (see {@code ChannelMap.traffic()}), shared by every
 * channel of the map counted under that name. Each channel holds its object from the moment it joins the map,
 * so counting costs one increment and no look-up. Written by the loop thread only (one writer per field, so
 * plain volatile increments are exact, as in {@link LoopStatistics}); read by observers on any thread.
 */
public final class DispatcherCounters {

    private final String name;

    public volatile long bytesRead;

    public volatile long bytesWritten;

    public volatile long connectionsAccepted;

    public volatile long connectionsRejected;

    public volatile long connectionsRefused;

    public volatile long handlerErrors;

    public volatile long idleTimeouts;

    public volatile long connectTimeouts;

    public volatile long tlsHandshakes;

    public volatile long tlsHandshakeFailures;

    public volatile long outputHardLimitCloses;

    public volatile long outputSoftLimitCloses;

    public volatile long outputMemoryCloses;

    public DispatcherCounters(String name) {
        this.name = name;
    }

    /** @return the dispatcher name these counters count under */
    public String name() {
        return this.name;
    }

    public void bytesRead(long count) {
        this.bytesRead += count;
    }

    public void bytesWritten(long count) {
        this.bytesWritten += count;
    }

    public void connectionAccepted() {
        this.connectionsAccepted++;
    }

    public void connectionRejected() {
        this.connectionsRejected++;
    }

    public void connectionRefused() {
        this.connectionsRefused++;
    }

    public void handlerError() {
        this.handlerErrors++;
    }

    public void idleTimeout() {
        this.idleTimeouts++;
    }

    public void connectTimeout() {
        this.connectTimeouts++;
    }

    public void tlsHandshake() {
        this.tlsHandshakes++;
    }

    public void tlsHandshakeFailed() {
        this.tlsHandshakeFailures++;
    }

    public void outputLimitClose(OutputOverflow overflow) {
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
    public void addTo(DispatcherCounters total) {
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
    public DispatcherTraffic snapshot(String loop) {
        return new DispatcherTraffic(loop, this.name, this.bytesRead, this.bytesWritten, this.connectionsAccepted,
                this.connectionsRejected, this.connectionsRefused, this.handlerErrors, this.idleTimeouts,
                this.connectTimeouts, this.tlsHandshakes, this.tlsHandshakeFailures, this.outputHardLimitCloses,
                this.outputSoftLimitCloses, this.outputMemoryCloses);
    }

}
