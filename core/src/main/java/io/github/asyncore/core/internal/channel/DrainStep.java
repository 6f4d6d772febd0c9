package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.github.asyncore.core.internal.transport.StreamTransport;
import io.github.asyncore.core.internal.transport.Transport;

/**
 * A channel's drain, for a graceful shutdown (a step per loop iteration) or asked for with
 * {@link io.github.asyncore.core.CloseMode#DRAIN} (a step after each event and each second; see
 * {@link ModalClose}): once nothing is owed to the peer,
 * half-close the connection (TLS close_notify, then the FIN), then discard what the peer still sends until
 * it closes too or the grace period ends, so that closing does not reset a peer that is still sending.
 * Loop thread. Not API.
 */
final class DrainStep {

    private final ChannelCore channel;

    private long finSentNanos;

    private boolean discardingInput;

    private boolean peerClosed;

    DrainStep(ChannelCore channel) {
        this.channel = channel;
    }

    /**
     * @param nowNanos the loop's clock
     * @param graceNanos how long to wait for the peer to close after our end-of-stream
     * @return whether the channel may be closed now
     */
    boolean step(long nowNanos, long graceNanos) {
        ChannelCore core = this.channel;
        if (core.hasPendingOutput() || core.tls().hasPendingCiphertext()) {
            return false;
        }
        if (!(core.transport instanceof StreamTransport stream) || !core.isConnected() || core.isClosed()) {
            return true;
        }
        if (this.finSentNanos == 0) {
            try {
                core.sendEndOfStream(stream);
            }
            catch (IOException ex) {
                return true; // the peer is gone already
            }
            this.finSentNanos = nowNanos;
            this.discardingInput = true;
            return false;
        }
        return this.peerClosed || nowNanos - this.finSentNanos >= graceNanos;
    }

    /** @return whether the loop should wait for input: only to discard it, until the peer closes */
    boolean wantsInput() {
        return this.discardingInput && !this.peerClosed;
    }

    /** @return whether the loop may still wait to write: until our end-of-stream is sent */
    boolean wantsOutput() {
        return this.finSentNanos == 0;
    }

    boolean discardingInput() {
        return this.discardingInput;
    }

    /** Reads and drops what the peer sends while the channel drains; notes the peer's end-of-stream. */
    void discardInput() {
        ByteBuffer scratch = this.channel.context().buffers().readBuffer(64 * 1024);
        Transport transport = this.channel.transport;
        try {
            int read;
            while ((read = transport.read(scratch)) > 0) {
                scratch.clear();
            }
            if (read < 0) {
                this.peerClosed = true;
            }
        }
        catch (IOException ex) {
            this.peerClosed = true;
        }
    }

}
