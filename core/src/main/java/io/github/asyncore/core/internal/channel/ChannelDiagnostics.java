package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.asyncore.core.ScheduledTask;
import io.github.asyncore.core.internal.loop.LoopStatistics;
import io.github.asyncore.core.internal.tls.TlsLayer;
import io.github.asyncore.core.internal.transport.Transport;

/**
 * Flags, once per channel, the two asyncore mistakes that cost most: a {@code writable()} that stays true
 * while {@code handleWrite()} writes nothing (the socket stays writable, so the loop spins at full CPU),
 * and a {@code readable()} that stays false while input waits (the peer's bytes, or its close, are never
 * seen). A flag is a log line naming the dispatcher's class and the predicate, a loop counter, and a line
 * in the channel's snapshot.
 * <p>
 * The write check costs a counter on write events that wrote nothing. The read check waits for
 * {@code readable()} to have answered false for a second, then asks a throw-away selector whether input
 * waits, backing off to once a minute while it does not; a channel that reads costs nothing. Loop thread,
 * except {@link #findings()}. Not API.
 */
final class ChannelDiagnostics {

    /** Consecutive write events that wrote nothing before a channel is flagged as spinning. */
    static final int SPINNING_WRITE_EVENTS = 1000;

    private static final Duration FIRST_PROBE = Duration.ofSeconds(1);

    private static final Duration LAST_PROBE = Duration.ofMinutes(1);

    private final ChannelCore channel;

    private volatile List<String> findings = List.of();

    private int emptyWrites;

    private long emptyWriteIteration;

    private boolean writeFlagged;

    private boolean readFlagged;

    private ScheduledTask probe;

    private Duration probeDelay = FIRST_PROBE;

    ChannelDiagnostics(ChannelCore channel) {
        this.channel = channel;
    }

    /** @return what was flagged, in words; empty when nothing was; any thread */
    List<String> findings() {
        return this.findings;
    }

    /** A write event ran {@code handleWrite()} and nothing was written: counts it if it follows another. */
    void wroteNothing() {
        if (this.writeFlagged) {
            return;
        }
        LoopStatistics loop = this.channel.loopStatistics();
        long iteration = loop.iterations;
        this.emptyWrites = (iteration - this.emptyWriteIteration <= 1) ? this.emptyWrites + 1 : 1;
        this.emptyWriteIteration = iteration;
        if (this.emptyWrites >= SPINNING_WRITE_EVENTS) {
            this.writeFlagged = true;
            loop.spinningWriters++;
            flag("writable() answered true for " + SPINNING_WRITE_EVENTS + " loop iterations in a row while"
                    + " handleWrite() wrote nothing: the loop spins. Answer true only while there is output to"
                    + " write");
        }
    }

    /** {@code readable()} answered false: unless a probe is due already, one looks in a second. */
    void refusedInput() {
        if (this.probe == null && !this.readFlagged) {
            this.probe = this.channel.executor().schedule(this.probeDelay, this.channel.channelTask(this::probe));
        }
    }

    /** The channel gets a new socket: the old one's probe does not run (its generation is old). */
    void reset() {
        this.probe = null;
        this.probeDelay = FIRST_PROBE;
        this.emptyWrites = 0;
    }

    private void probe() {
        this.probe = null;
        ChannelCore core = this.channel;
        Transport transport = core.transport;
        EventRouter router = core.router();
        if (core.isClosed() || transport == null || router.evaluatedReadable() || core.accepting
                || core.isConnecting() || core.readSuspended || core.bounds().readPaused()
                || core.modalClose().drainIfStarted() != null) {
            this.probeDelay = FIRST_PROBE; // reading, or not reading for a reason of its own
            return;
        }
        if (inputWaits(transport.channel())) {
            this.readFlagged = true;
            core.loopStatistics().stuckReaders++;
            flag("readable() answered false for over " + this.probeDelay.toSeconds() + " s while input waited:"
                    + " the peer's bytes (or its close) are not seen. Answer true whenever the channel can take"
                    + " input");
            return;
        }
        Duration doubled = this.probeDelay.multipliedBy(2);
        this.probeDelay = (doubled.compareTo(LAST_PROBE) < 0) ? doubled : LAST_PROBE;
        this.probe = core.executor().schedule(this.probeDelay, core.channelTask(this::probe));
    }

    private boolean inputWaits(SelectableChannel socket) {
        TlsLayer layer = this.channel.tls().layer();
        if (layer != null && layer.hasBufferedInput()) {
            return true;
        }
        try (Selector selector = Selector.open()) {
            socket.register(selector, SelectionKey.OP_READ);
            return selector.selectNow() > 0;
        }
        catch (IOException ex) {
            return false; // no answer is no finding: the channel is left alone
        }
    }

    private void flag(String finding) {
        List<String> flagged = new ArrayList<>(this.findings);
        flagged.add(finding);
        this.findings = List.copyOf(flagged);
        ChannelCore.logger.warn("{}: {} (dispatcher class {}); flagged once", this.channel.handler(), finding,
                this.channel.handler().className());
    }

}
