package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.asyncore.core.ChannelTransition.Kind;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.internal.loop.FatalErrors;
import io.github.asyncore.core.internal.tls.TlsLayer;
import io.github.asyncore.core.internal.transport.DisconnectErrors;

import org.slf4j.Logger;

/**
 * Where what a channel's handlers and work throw goes, as asyncore routes it (disconnects become
 * {@code handleClose}, anything else {@code handleError}), and the reason a close gets: while a handler for
 * an event that may close the channel runs (end-of-stream, an error, an idle timeout, an output limit), a
 * close made in it records that event's reason; outside, {@code APPLICATION}. This is the one place that
 * scopes a close's cause. Loop thread. Not API.
 */
public final class ErrorRouting {

    private final ChannelCore channel;

    /** The reason a close made now would have, while a handler for such an event runs; else {@code null}. */
    private CloseReason closeCause;

    ErrorRouting(ChannelCore channel) {
        this.channel = channel;
    }

    /**
     * Runs an action with the reason a close it makes would have.
     * @param reason the reason
     * @param action what to run
     * @throws IOException what the action throws
     */
    public void withCloseCause(CloseReason reason, IoAction action) throws IOException {
        CloseReason outer = this.closeCause;
        this.closeCause = reason;
        try {
            action.run();
        }
        finally {
            this.closeCause = outer;
        }
    }

    /** A read found end-of-stream: stop reading for good, and let the dispatcher answer or close for the peer. */
    void endOfStream() throws IOException {
        this.channel.inputEnded = true;
        this.channel.history().record(Kind.INPUT_ENDED, null);
        this.channel.suspendReading(); // end-of-stream stays readable: never ask again
        withCloseCause(CloseReason.PEER, this.channel.handler()::handleEndOfStream);
    }

    /** A disconnect error: asyncore's {@code handle_close}, a close in it made for the peer. */
    void peerGone() throws IOException {
        withCloseCause(CloseReason.PEER, this.channel.handler()::handleClose);
    }

    /** @return the reason a close made now would have, or {@code null} for {@code APPLICATION} */
    public CloseReason closeCause() {
        return this.closeCause;
    }

    /** Runs an action with the channel's error routing. */
    public void invoke(IoAction action) {
        try {
            action.run();
        }
        catch (Throwable ex) {
            handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
        }
    }

    /**
     * The default {@code handleError}'s log line: I/O errors without a stack trace, a failed TLS handshake
     * through the layer's throttle, a failed connect of a watched client at debug level only.
     * @param log the facade's logger
     * @param error what went wrong
     * @param watchedConnect whether a reconnector reports this client's failed connects itself
     */
    public void logError(Logger log, Throwable error, boolean watchedConnect) {
        ChannelHandler handler = this.channel.handler();
        if (!(error instanceof IOException)) {
            log.error("{}: uncaught exception in a handler; closing", handler, error);
            return;
        }
        TlsLayer layer = this.channel.tls().layer();
        if (this.channel.isConnecting() && watchedConnect) {
            log.debug("{}: {}; closing", handler, error.toString());
        }
        else if (layer == null || !layer.logHandshakeFailure(log, error)) {
            log.warn("{}: {}; closing", handler, error.toString());
        }
    }

    /** asyncore's {@code _DISCONNECTED} rule: disconnects close, everything else is an error. */
    public void handleErrorEvent(Throwable error) {
        boolean disconnect = DisconnectErrors.isDisconnect(error);
        try {
            withCloseCause(disconnect ? CloseReason.PEER : CloseReason.ERROR, () -> route(error, disconnect));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex); // route handles its own
        }
    }

    private void route(Throwable error, boolean disconnect) {
        ChannelHandler handler = this.channel.handler();
        try {
            if (disconnect) {
                handler.handleClose();
            }
            else {
                this.channel.traffic().handlerError();
                this.channel.history().record(Kind.ERROR, error);
                handler.handleError(error);
            }
        }
        catch (Throwable secondary) {
            FatalErrors.rethrowIfFatal(secondary);
            secondary.addSuppressed(error);
            ChannelCore.logger.error("{}: {} threw; closing", handler, disconnect ? "handleClose" : "handleError",
                    secondary);
            handler.close();
        }
    }

}
