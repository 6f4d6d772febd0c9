package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.time.Duration;

import io.github.asyncore.core.ChannelTransition.Kind;
import io.github.asyncore.core.CloseMode;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.internal.transport.StreamTransport;

/**
 * The channel's drain (its part of a graceful shutdown, see {@link DrainStep}) and the closes asked for with
 * a {@link CloseMode}: a plain close, an abort (a reset: {@code SO_LINGER} zero,
 * then close), or a drain, which reuses the graceful shutdown's {@link DrainStep} for this one channel:
 * queued output written, end-of-stream sent, the peer's input discarded until it closes or a second
 * passes. Any thread: off the loop thread the request is handed to the loop. Not API.
 */
public final class ModalClose {

    /** How long a drained connection waits for its peer to close after our end-of-stream. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final ChannelCore channel;

    /** The channel's drain, for a shutdown or a drain asked for; {@code null} until one starts. */
    private DrainStep drain;

    /** Why the channel drains, or {@code null} while no drain was asked for. */
    private CloseReason drainReason;

    ModalClose(ChannelCore channel) {
        this.channel = channel;
    }

    /**
     * @param reason why the channel is being closed
     * @param mode how; see {@link CloseMode}
     */
    public void close(CloseReason reason, CloseMode mode) {
        switch (mode) {
            case CLOSE -> this.channel.close(reason);
            case DRAIN -> drain(reason);
            case ABORT -> abort(reason);
        }
    }

    /** @return the channel's drain, started now if need be */
    DrainStep drain() {
        if (this.drain == null) {
            this.drain = new DrainStep(this.channel);
        }
        return this.drain;
    }

    /** @return the channel's drain, or {@code null} when neither a shutdown nor a request started one */
    DrainStep drainIfStarted() {
        return this.drain;
    }

    /** @return whether a drain was asked for and the channel has not closed yet */
    boolean draining() {
        return this.drainReason != null;
    }

    /** One step of the drain, after each event of the channel and on its timer: closes once it is done. */
    void step() {
        ChannelCore core = this.channel;
        if (this.drainReason != null && !core.isClosed()
                && drain().step(System.nanoTime(), GRACE.toNanos())) {
            core.close(this.drainReason);
        }
    }

    /** The channel gets a new socket: a drain asked for the old one is over. */
    void reset() {
        this.drain = null;
        this.drainReason = null;
    }

    private void abort(CloseReason reason) {
        ChannelCore core = this.channel;
        if (core.isClosed() || core.handedToLoop(() -> abort(reason))) {
            return;
        }
        if (core.transport instanceof StreamTransport stream && core.isConnected()) {
            core.history().record(Kind.CLOSE_REQUESTED, "abort, " + reason);
            try {
                stream.resetOnClose();
            }
            catch (IOException ex) {
                // the socket is failing anyway: it closes as it can
            }
        }
        core.close(reason);
    }

    private void drain(CloseReason reason) {
        ChannelCore core = this.channel;
        if (core.isClosed() || this.drainReason != null || core.handedToLoop(() -> drain(reason))) {
            return;
        }
        if (!(core.transport instanceof StreamTransport) || !core.isConnected()) {
            core.close(reason);
            return;
        }
        core.history().record(Kind.CLOSE_REQUESTED, "drain, " + reason);
        this.drainReason = reason;
        step();
        if (!core.isClosed()) {
            core.markForEvaluation();
            scheduleStep();
        }
    }

    private void scheduleStep() {
        ChannelCore core = this.channel;
        core.executor().schedule(GRACE, core.channelTask(() -> {
            step();
            if (!core.isClosed()) {
                scheduleStep();
            }
        }));
    }

}
