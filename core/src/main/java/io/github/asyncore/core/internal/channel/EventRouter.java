package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

import io.github.asyncore.core.internal.loop.FatalErrors;
import io.github.asyncore.core.internal.loop.LoopChannel;
import io.github.asyncore.core.internal.tls.TlsLayer;
import io.github.asyncore.core.internal.transport.StreamTransport;
import io.github.asyncore.core.internal.transport.Transport;

/**
 * A channel's side of the selector: asks the handlers {@code readable()} and {@code writable()} (narrowed
 * by the channel's state: a listener never writes, a connect waits for the connect, paused or ended input
 * is not read, a drain only discards), registers what they want, and routes the ready events to the
 * handlers as asyncore does, including the implied connect on the first event. Every exception goes to the
 * channel's error routing. It is the channel as the loop sees it (a {@link LoopChannel}, its selection key's
 * attachment), so that a ready event reaches the handlers with no hop through the core. Loop thread. Not API.
 */
final class EventRouter implements LoopChannel {

    private final ChannelCore channel;

    private SelectionKey key;

    private int interestOps = -1;

    private volatile boolean evaluatedReadable;

    private volatile boolean evaluatedWritable;

    /** Set while the loop has this channel queued to evaluate {@code readable()}/{@code writable()}. */
    private boolean queuedForEvaluation;

    EventRouter(ChannelCore channel) {
        this.channel = channel;
    }

    /** Asks {@code readable()} and {@code writable()} and (re-)registers the channel for what they want. */
    @Override
    public void updateInterest(Selector selector, boolean draining) {
        ChannelCore core = this.channel;
        Transport current = core.transport;
        if (current == null || core.isClosed()) {
            return;
        }
        ChannelHandler handler = core.handler();
        boolean readable;
        boolean writable;
        try {
            if (core.accepting) {
                readable = handler.readable() && !draining;
                writable = false;
            }
            else if (core.connectPending) {
                readable = handler.readable();
                writable = handler.writable();
            }
            else if (draining || core.modalClose().drainIfStarted() != null) {
                DrainStep drain = core.modalClose().drain();
                readable = drain.wantsInput();
                writable = drain.wantsOutput() && !core.isOutputShutdown() && handler.writable();
            }
            else {
                boolean wanted = handler.readable();
                if (!wanted && !core.readSuspended) {
                    core.diagnostics().refusedInput();
                }
                readable = wanted && !core.bounds().readPaused() && !core.readSuspended;
                writable = !core.isOutputShutdown() && handler.writable();
            }
        }
        catch (Throwable ex) {
            core.errors().handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
            return;
        }
        int ops;
        if (core.connectPending) {
            ops = (readable || writable) ? SelectionKey.OP_CONNECT : 0;
        }
        else {
            ops = current.interestOps(readable, writable);
        }
        TlsLayer layer = core.tls().layer();
        if (layer != null) {
            ops = core.tls().interestOps(layer, ops, readable);
        }
        if (readable != this.evaluatedReadable) {
            this.evaluatedReadable = readable;
        }
        if (writable != this.evaluatedWritable) {
            this.evaluatedWritable = writable;
        }
        if (core.isClosed() || (ops == this.interestOps && this.key != null)) {
            return;
        }
        try {
            if (this.key == null) {
                this.key = current.channel().register(selector, ops, this);
            }
            else {
                this.key.interestOps(ops);
            }
            this.interestOps = ops;
        }
        catch (IOException | CancelledKeyException ex) {
            core.errors().handleErrorEvent(ex);
        }
    }

    /** Runs the handlers for the ready operations, routing every exception as asyncore does. */
    @Override
    public void dispatch(int readyOps) {
        ChannelCore core = this.channel;
        core.inHandler = true;
        try {
            if ((readyOps & SelectionKey.OP_ACCEPT) != 0) {
                core.acceptGate().handleAcceptEvent();
                return;
            }
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                core.setup().finishConnect();
                return;
            }
            TlsLayer layer = core.tls().layer();
            if (layer != null) {
                readyOps = tlsReady(layer, readyOps);
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                DrainStep drain = core.modalClose().drainIfStarted();
                if (drain != null && drain.discardingInput()) {
                    drain.discardInput();
                    return;
                }
                handleReadEvent();
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0 && !core.isClosed()) {
                handleWriteEvent();
            }
            if (!core.isClosed()) {
                core.inHandler = false;
                core.handler().afterHandlers();
            }
        }
        catch (Throwable ex) {
            core.errors().handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
        }
        finally {
            core.inHandler = false;
            if (core.modalClose().draining()) {
                core.modalClose().step();
            }
        }
    }

    /**
     * The TLS layer's part of a ready event: it writes and reads what the handshake and the ciphertext
     * need; the handlers then see only what they asked for. A client's connect completes (and
     * {@code handleConnect()} runs) once its handshake has finished.
     */
    private int tlsReady(TlsLayer layer, int readyOps) throws IOException {
        int ops;
        try {
            ops = layer.ready(readyOps);
        }
        catch (IOException ex) {
            if (!layer.handshakeEnded()) {
                throw ex;
            }
            this.channel.tls().failAndClose(ex);
            return 0;
        }
        if (this.channel.isConnecting() && layer.isEstablished() && !this.channel.isClosed()) {
            handleConnectEvent();
        }
        return ops & ((this.evaluatedReadable ? SelectionKey.OP_READ : 0)
                | (this.evaluatedWritable ? SelectionKey.OP_WRITE : 0));
    }

    private void handleReadEvent() throws IOException {
        ChannelCore core = this.channel;
        if (core.accepting) {
            core.acceptGate().handleAcceptEvent();
            return;
        }
        if (core.connecting) {
            handleConnectEvent();
        }
        if (!core.isClosed()) {
            core.handler().handleRead();
        }
    }

    /** A write event; after a connect completed, the first one completes it for the handlers. */
    void handleWriteEvent() throws IOException {
        ChannelCore core = this.channel;
        if (core.accepting) {
            return; // a listener has no write events; pretend it did not happen, as asyncore does
        }
        if (core.connecting) {
            handleConnectEvent();
        }
        if (!core.isClosed()) {
            long written = core.statistics().bytesWritten();
            core.handler().handleWrite();
            if (core.statistics().bytesWritten() == written && !core.isClosed()) {
                core.diagnostics().wroteNothing();
            }
        }
    }

    /** asyncore's implied connect: the first event of a connecting socket completes it. */
    private void handleConnectEvent() throws IOException {
        ChannelCore core = this.channel;
        core.connecting = false;
        core.connected = true;
        if (core.transport instanceof StreamTransport stream) {
            core.remoteAddress = stream.remoteAddress();
        }
        core.idle().arm();
        core.announceOpened();
        core.handler().connectEnded(null);
        core.handler().handleConnect();
    }

    /** Cancels the selection key: the channel closes. */
    void cancel() {
        if (this.key != null) {
            this.key.cancel();
        }
    }

    /** @return whether the channel was ever registered with the selector */
    boolean registered() {
        return this.key != null;
    }

    /** The channel gets a new socket: nothing of the old registration applies. */
    void reset() {
        this.key = null;
        this.interestOps = -1;
        this.evaluatedReadable = false;
        this.evaluatedWritable = false;
    }

    boolean evaluatedReadable() {
        return this.evaluatedReadable;
    }

    boolean evaluatedWritable() {
        return this.evaluatedWritable;
    }

    @Override
    public boolean queuedForEvaluation() {
        return this.queuedForEvaluation;
    }

    @Override
    public void queuedForEvaluation(boolean queued) {
        this.queuedForEvaluation = queued;
    }

    @Override
    public boolean isListener() {
        return this.channel.isListener();
    }

    @Override
    public boolean drainStep(long nowNanos, long graceNanos) {
        return this.channel.modalClose().drain().step(nowNanos, graceNanos);
    }

    @Override
    public boolean hasPendingOutput() {
        return this.channel.hasPendingOutput();
    }

    @Override
    public long pendingOutputBytes() {
        return this.channel.pendingOutputBytes();
    }

    @Override
    public void closeForShutdown() {
        this.channel.closeForShutdown();
    }

    @Override
    public void closeAfterFailure() {
        this.channel.closeAfterFailure();
    }

    @Override
    public String toString() {
        return this.channel.toString();
    }

}
