package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.github.asyncore.core.ChannelTransition.Kind;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.ScheduledTask;
import io.github.asyncore.core.TlsSettings;
import io.github.asyncore.core.TlsStatus;
import io.github.asyncore.core.internal.loop.LogThrottle;
import io.github.asyncore.core.internal.tls.TlsLayer;
import io.github.asyncore.core.internal.tls.TlsTransport;
import io.github.asyncore.core.internal.transport.DisconnectErrors;
import io.github.asyncore.core.internal.transport.Sockets;
import io.github.asyncore.core.internal.transport.StreamTransport;

/**
 * A channel's TLS: the settings it was given (a listener's, for the connections it accepts), the layer of
 * its connection once the handshake begins, what observers see of it, and the redelivery of plaintext the
 * layer holds but the socket will not signal again. It is the {@link TlsTransport} the layer talks to, so
 * that the layer sees nothing of the channel beyond that interface. Loop thread, unless a method says
 * otherwise. Not API.
 */
public final class ChannelTls implements TlsTransport {

    /** The contexts whose first engine was made off the loop; weak, so that a dropped context can go. */
    private static final Set<SSLContext> warmed = Collections
        .synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** What observers see while a TLS channel's first handshake runs. */
    static final TlsStatus HANDSHAKING = new TlsStatus(false, null, null);

    private final ChannelCore channel;

    /** The channel's byte path, whose socket side the layer reads and writes ciphertext through. */
    private final BytePath bytes;

    private volatile TlsSettings settings;

    private TlsLayer layer;

    private volatile TlsStatus status;

    /** Runs the read handler again for input the layer holds; built per connection, queued at most once. */
    private Runnable redelivery;

    private boolean redeliveryQueued;

    ChannelTls(ChannelCore channel, BytePath bytes) {
        this.channel = channel;
        this.bytes = bytes;
    }

    /**
     * Sets the settings, starting the handshake at once on a connected stream.
     * @param tls the settings, or {@code null} for none
     */
    public void settings(TlsSettings tls) {
        ChannelCore core = this.channel;
        if (core.setup().isDatagram()) {
            throw new IllegalStateException(core.handler() + ": TLS needs a stream socket; DTLS is not supported");
        }
        if (this.layer != null) {
            throw new IllegalStateException(core.handler() + " already speaks TLS on its connection");
        }
        this.settings = tls;
        this.status = (tls != null) ? HANDSHAKING : null;
        if (tls != null) {
            warmUp(tls);
        }
        if (tls != null && core.isConnected() && !core.isClosed() && core.transport instanceof StreamTransport) {
            try {
                start();
            }
            catch (IOException ex) {
                core.errors().handleErrorEvent(ex);
            }
        }
    }

    /**
     * Creates one engine from the settings on the handshake executor and drops it, once per
     * {@code SSLContext}: the JDK initializes a context on its first engine (key material, the suites its
     * constraints allow), a tenth of a second that would otherwise stall the loop on the first connection.
     */
    private void warmUp(TlsSettings tls) {
        Executor executor = this.channel.context().handshakeExecutor();
        if (executor == null || !warmed.add(tls.context())) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    tls.newEngine(null).beginHandshake();
                }
                catch (Exception ex) {
                    // the channel's own engine will meet the same problem and report it
                }
            });
        }
        catch (RejectedExecutionException ex) {
            // no warm-up: the first connection pays for the initialization
        }
    }

    /** Takes a listener's settings, for a connection it accepted. */
    void inherit(ChannelTls listener) {
        TlsSettings tls = listener.settings;
        if (tls != null) {
            this.settings = tls;
            this.status = HANDSHAKING;
        }
    }

    /** Puts the layer on the connected stream and begins the handshake. */
    void start() throws SSLException {
        ChannelCore core = this.channel;
        TlsSettings tls = this.settings;
        TlsLayer started = new TlsLayer(this, Sockets.format(core.remoteAddress()), tls.newEngine(core.remoteAddress()),
                tls.handshakeTimeout());
        this.layer = started;
        this.status = HANDSHAKING;
        this.redelivery = core.channelTask(this::redeliver); // per connection: a task is bound to one socket
        this.redeliveryQueued = false;
        started.start();
        core.markForEvaluation();
    }

    /** @return the settings in force (for a listener: those its connections inherit), or {@code null}; any thread */
    public TlsSettings settings() {
        return this.settings;
    }

    /** @return what observers see of the TLS state, or {@code null} for a plain channel; any thread */
    public TlsStatus status() {
        return this.status;
    }

    /** @return the layer of a connected stream with TLS settings, or {@code null} */
    public TlsLayer layer() {
        return this.layer;
    }

    /** @return whether the layer holds ciphertext the socket has not taken yet */
    public boolean hasPendingCiphertext() {
        TlsLayer current = this.layer;
        return current != null && current.hasPendingOutput();
    }

    /** Sends close_notify if the socket takes it at once; the channel's output or the whole channel ends. */
    void closeOutbound() {
        TlsLayer current = this.layer;
        if (current != null) {
            current.closeOutbound();
        }
    }

    /**
     * What the loop should wait for on a TLS connection (the layer decides during the handshake); queues a
     * read event of the channel's own when the handlers want input that the layer already holds.
     */
    int interestOps(TlsLayer current, int ops, boolean readable) {
        if (readable && current.hasBufferedInput() && !this.redeliveryQueued) {
            this.redeliveryQueued = true;
            this.channel.executor().execute(this.redelivery);
        }
        return current.interestOps(ops);
    }

    /** Hands the handlers the input the layer holds and the socket will not signal again. */
    private void redeliver() {
        this.redeliveryQueued = false;
        TlsLayer current = this.layer;
        if (current != null && current.hasBufferedInput() && !this.channel.isClosed()) {
            this.channel.dispatch(SelectionKey.OP_READ);
        }
    }

    /** The channel gets a new socket: no layer, and the settings' status afresh. */
    void reset() {
        this.layer = null;
        this.redeliveryQueued = false;
        this.status = (this.settings != null) ? HANDSHAKING : null;
    }

    // ---------------------------------------------------------------- what the layer sees

    @Override
    public int readSocket(ByteBuffer dst) throws IOException {
        return this.bytes.readSocket(dst);
    }

    @Override
    public int writeSocket(ByteBuffer src) throws IOException {
        return this.bytes.writeSocket(src);
    }

    @Override
    public void handshakeFinished(TlsStatus finished) {
        this.status = finished;
        this.channel.history().record(Kind.TLS_HANDSHAKE_DONE, finished.protocol() + ", " + finished.cipherSuite());
        this.channel.traffic().tlsHandshake();
    }

    @Override
    public void handshakeFailed() {
        this.channel.traffic().tlsHandshakeFailed();
    }

    @Override
    public ScheduledTask schedule(Duration delay, Runnable action) {
        ChannelCore core = this.channel;
        return core.executor().schedule(delay, core.channelTask(() -> {
            if (!core.isClosed()) {
                action.run();
            }
        }));
    }

    /**
     * The one way a failed TLS handshake ends the channel (failed, timed out, or ended by the peer; whether
     * the layer noticed it on a ready event, in a read or in a write): the error goes to the channel's
     * error routing ({@code handleError}, or {@code handleClose} for a peer that left), then the channel
     * closes, whatever those handlers did, with {@code ERROR} (or {@code PEER}) as its reason.
     */
    @Override
    public void failAndClose(IOException error) {
        this.channel.errors().handleErrorEvent(error);
        this.channel.close(DisconnectErrors.isDisconnect(error) ? CloseReason.PEER : CloseReason.ERROR);
    }

    @Override
    public Executor handshakeExecutor() {
        return this.channel.context().handshakeExecutor();
    }

    @Override
    public void resumeHandshake() {
        ChannelCore core = this.channel;
        core.executor().execute(core.channelTask(() -> {
            TlsLayer current = this.layer;
            if (current != null && !core.isClosed()) {
                current.offloadDone();
                core.dispatch(0); // as a ready event: the handshake goes on, a client's connect may complete
            }
        }));
    }

    @Override
    public LogThrottle handshakeFailureLog() {
        return this.channel.loopStatistics().tlsHandshakeFailureLog;
    }

    @Override
    public String toString() {
        return this.channel.handler().toString();
    }

}
