package io.github.asyncore.core.internal.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import io.github.asyncore.core.ScheduledTask;
import io.github.asyncore.core.TlsStatus;
import io.github.asyncore.core.internal.transport.PeerClosedException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not API. The TLS layer of one connection: sits on the channel's byte path (the dispatcher's
 * {@code read} and {@code write}) and turns the socket's ciphertext into the plaintext the handlers see,
 * with a JDK {@link SSLEngine}. The handlers never see the handshake: while it runs, the layer chooses
 * what the loop waits for and hides the socket's readiness from the handlers; afterwards it reads and
 * writes ciphertext as the handlers read and write plaintext, asks for write readiness while it holds
 * ciphertext the socket did not take, and tells the channel ({@link #hasBufferedInput()}) while it holds
 * plaintext that did not fit the handler's buffer (the socket no longer signals those bytes), so that
 * the channel calls the read handler again.
 * <p>
 * The layer knows nothing of the channel but its {@link TlsTransport}: the socket, the timer of the
 * handshake timeout, the handshake counters, the error path and the close.
 * <p>
 * Renegotiation is refused: a TLS 1.2 peer that starts a new handshake gets an {@link SSLException}
 * through the channel's error path. TLS 1.3 post-handshake messages (session tickets, key updates)
 * are answered.
 * <p>
 * Costs: three heap buffers of about one TLS record (16 KiB) each per connection, for its whole life.
 * The handshake's engine work (key agreement, signatures, certificate checks: a millisecond or more of CPU
 * per handshake) runs on the transport's handshake executor when it has one, so that a burst of new
 * clients does not stall the loop's other channels; the loop then only moves the handshake's bytes between
 * the socket and the buffers. Loop thread only, but for that engine work, which owns the engine and the
 * buffers while it runs (the layer registers for nothing and touches neither until it is handed back).
 */
public final class TlsLayer {

    private static final Logger logger = LoggerFactory.getLogger(TlsLayer.class);

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final TlsTransport transport;

    /** The peer's address, for the message of a handshake timeout. */
    private final String peer;

    private final SSLEngine engine;

    private final Duration handshakeTimeout;

    /** The ciphertext in and out and the plaintext in, with the engine calls between them. */
    private final TlsBuffers buffers;

    private boolean handshaking = true;

    /** Whether the first handshake finished; never again false. */
    private boolean established;

    /** Whether the layer holds input (plaintext, whole records, or an end to report) the socket will not signal. */
    private boolean inputPending;

    /** The peer's close_notify or the socket's end-of-stream was seen. */
    private boolean inboundDone;

    private boolean outboundClosed;

    private boolean receivedAny;

    /** The handshake failed or timed out (not: the peer left during it); never again false. */
    private boolean handshakeFailed;

    /** Set while handshake work runs on the handshake executor: the loop touches neither engine nor buffers. */
    private boolean offloaded;

    /** Set by the off-loop work when the engine wants more ciphertext than the layer holds. */
    private boolean needInput;

    /** Set by the off-loop work when the engine saw the peer's close_notify during the handshake. */
    private boolean offloadSawClose;

    /** What failed in the off-loop work, to be thrown on the loop as if the loop had done it. */
    private SSLException offloadFailure;

    private ScheduledTask handshakeTimer;

    /**
     * @param transport the connection beneath the layer; its {@code toString()} names the channel in log lines
     * @param peer the peer's address as the channel prints it, for the message of a handshake timeout
     * @param engine the engine, in client or server mode, not yet handshaking
     * @param handshakeTimeout how long the first handshake may take; zero for no limit
     */
    public TlsLayer(TlsTransport transport, String peer, SSLEngine engine, Duration handshakeTimeout) {
        this.transport = transport;
        this.peer = peer;
        this.engine = engine;
        this.handshakeTimeout = handshakeTimeout;
        this.buffers = new TlsBuffers(transport, engine);
    }

    /**
     * Arms the handshake timeout and begins the handshake: on the handshake executor when there is one.
     * @throws SSLException when the engine cannot begin (on the loop; off it, the failure comes as the handshake's)
     */
    public void start() throws SSLException {
        if (!this.handshakeTimeout.isZero()) {
            this.handshakeTimer = this.transport.schedule(this.handshakeTimeout, this::handshakeTimedOut);
        }
        if (!offload(this.transport.handshakeExecutor(), this::beginAndStep)) {
            this.engine.beginHandshake();
        }
    }

    /** @return whether the first handshake has finished: plaintext may flow */
    public boolean isEstablished() {
        return this.established;
    }

    /**
     * @return whether the first handshake failed, timed out or was ended by the peer: the channel must
     *         close, as nothing more can flow
     */
    public boolean handshakeEnded() {
        return !this.established && !this.handshaking;
    }

    /** @return whether ciphertext waits for the socket to take it */
    public boolean hasPendingOutput() {
        return !this.offloaded && this.buffers.hasOutput();
    }

    /** @return the engine's session: a placeholder until the handshake has finished */
    public SSLSession session() {
        return this.engine.getSession();
    }

    // ---------------------------------------------------------------- the loop's side

    /**
     * What the loop should wait for: during the handshake what the handshake needs, whatever the handlers
     * asked; afterwards what they asked, plus write readiness while ciphertext waits. Input the layer
     * already holds is not the socket's to signal: see {@link #hasBufferedInput()}.
     * @param ops what the handlers asked for
     * @return the operations to register
     */
    public int interestOps(int ops) {
        if (!this.established) {
            if (!this.handshaking || this.offloaded) {
                return 0; // failed (the channel is being closed), or waiting for the off-loop work
            }
            int handshakeOps = this.buffers.hasOutput() ? SelectionKey.OP_WRITE : 0;
            HandshakeStatus status = this.engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_WRAP || status == HandshakeStatus.NEED_TASK) {
                handshakeOps |= SelectionKey.OP_WRITE; // a writable socket is ready at once: work goes on
            }
            else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                handshakeOps |= SelectionKey.OP_READ;
            }
            return handshakeOps;
        }
        if (this.buffers.hasOutput()) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    /**
     * Whether the layer holds input the socket will not signal again: plaintext that did not fit the
     * handler's buffer, whole records not yet unwrapped, or an end still to report. While the handlers
     * want input, the channel has the read handler called again for it (no selector event will).
     * Never before the first handshake has finished.
     * @return whether a read would find plaintext (or the end) without the socket being readable
     */
    public boolean hasBufferedInput() {
        return this.inputPending;
    }

    /**
     * Does the transport's part of a ready event: writes waiting ciphertext, drives the handshake.
     * @param readyOps what the selector reported
     * @return what the handlers may be told (before masking with what they asked for)
     * @throws IOException when the handshake fails, the peer closed the connection during it (a
     *         disconnect), or the socket fails
     */
    public int ready(int readyOps) throws IOException {
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && !this.offloaded && this.buffers.hasOutput()) {
            this.buffers.flush();
        }
        if (this.established) {
            return readyOps;
        }
        if (this.handshaking) {
            handshake();
        }
        if (!this.established) {
            return 0;
        }
        // finished just now: the socket's readiness was the handshake's; only input the layer holds is news
        return (this.inputPending ? SelectionKey.OP_READ : 0) | (readyOps & SelectionKey.OP_WRITE);
    }

    // ---------------------------------------------------------------- the byte path

    /**
     * Reads plaintext into the buffer: unwraps what the layer holds, then what the socket has.
     * @param dst where to put the plaintext
     * @return the bytes of plaintext read; 0 when none are ready (or the handshake is still running);
     *         -1 when the peer sent close_notify or closed the connection and nothing is left
     * @throws IOException as {@link #ready(int)}, and when a record cannot be decrypted or the peer asks
     *         to renegotiate
     */
    public int read(ByteBuffer dst) throws IOException {
        if (!this.established) {
            if (this.handshaking) {
                handshake();
            }
            if (!this.established) {
                return 0;
            }
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int start = dst.position();
        this.buffers.drainPlaintext(dst);
        boolean ended = this.inboundDone;
        boolean viaAppIn = false;
        while (dst.hasRemaining() && !ended) {
            if (this.buffers.hasInput()) {
                boolean direct = !viaAppIn && dst.remaining() >= this.engine.getSession().getApplicationBufferSize();
                SSLEngineResult result = direct ? this.buffers.unwrap(dst) : this.buffers.unwrapToPlaintext();
                Status status = result.getStatus();
                if (status == Status.OK && result.bytesConsumed() > 0) {
                    afterHandshakeUnwrap(result);
                    if (!direct) {
                        this.buffers.drainPlaintext(dst);
                    }
                    continue;
                }
                if (status == Status.CLOSED) {
                    ended = true; // the peer's close_notify
                    break;
                }
                if (status == Status.BUFFER_OVERFLOW) {
                    if (direct) {
                        viaAppIn = true;
                    }
                    else {
                        this.buffers.growPlaintext();
                    }
                    continue;
                }
                // BUFFER_UNDERFLOW (or nothing taken): a record is incomplete; read more
            }
            int read = readSocket();
            if (read < 0) {
                ended = true;
                break;
            }
            if (read == 0) {
                break;
            }
        }
        if (ended && !this.inboundDone) {
            this.inboundDone = true;
            closeInboundQuietly();
        }
        int produced = dst.position() - start;
        this.inputPending = this.buffers.hasPlaintext() || (!dst.hasRemaining() && this.buffers.hasInput())
                || (ended && produced > 0);
        if (produced > 0) {
            return produced;
        }
        return ended ? -1 : 0;
    }

    /**
     * Wraps plaintext from the buffer and writes the ciphertext, record by record, while the socket takes
     * it. During the handshake it drives the handshake instead and takes nothing.
     * @param src the plaintext to send
     * @return the bytes of plaintext consumed: wrapped, though possibly still waiting in the layer
     * @throws IOException as {@link #ready(int)}, and when the layer's output is closed
     */
    public int write(ByteBuffer src) throws IOException {
        if (!this.established) {
            if (this.handshaking) {
                handshake();
            }
            if (!this.established) {
                return 0;
            }
        }
        if (!this.buffers.flush()) {
            return 0;
        }
        int start = src.position();
        while (src.hasRemaining()) {
            SSLEngineResult result = this.buffers.wrap(src);
            if (result.getStatus() == Status.CLOSED) {
                throw new SSLException("TLS output of " + this.transport + " is closed");
            }
            if (!this.buffers.flush() || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
                break;
            }
        }
        return src.position() - start;
    }

    /**
     * Sends close_notify, best effort: one write that does not wait; errors are ignored (the channel is
     * being closed). Loop thread; idempotent.
     */
    public void closeOutbound() {
        cancelHandshakeTimer();
        if (this.outboundClosed) {
            return;
        }
        this.outboundClosed = true;
        if (this.offloaded) {
            return; // the handshake's work owns engine and buffers; there is no session to close yet
        }
        try {
            this.engine.closeOutbound();
            for (int i = 0; i < 4 && !this.engine.isOutboundDone(); i++) {
                SSLEngineResult result = this.buffers.wrap(EMPTY);
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
            this.buffers.flush();
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("{}: could not send close_notify: {}", this.transport, ex.toString());
        }
    }

    // ---------------------------------------------------------------- the handshake

    /**
     * Drives the handshake as far as the socket allows without waiting. A failed handshake, or one the
     * peer ended, ends the layer for good ({@link #handshakeEnded()}): the channel reports the exception
     * and closes, whatever its handlers do, as the engine is of no further use.
     * @throws SSLException when the handshake fails
     * @throws PeerClosedException when the peer closed the connection (a disconnect:
     *         {@code handleClose})
     */
    private void handshake() throws IOException {
        boolean peerClosed;
        try {
            peerClosed = !handshakeSteps();
        }
        catch (SSLException ex) {
            handshakeFailed();
            throw ex;
        }
        if (peerClosed) {
            handshakeEndedByPeer();
            throw new PeerClosedException("the peer closed the connection during the TLS handshake");
        }
    }

    /** @return {@code false} when the peer closed the connection before the handshake finished */
    private boolean handshakeSteps() throws IOException {
        Executor executor = this.transport.handshakeExecutor();
        while (this.handshaking && !this.offloaded) {
            if (this.offloadFailure != null) {
                SSLException failure = this.offloadFailure;
                this.offloadFailure = null;
                throw failure;
            }
            if (this.offloadSawClose) {
                return false;
            }
            switch (this.engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    if (!offload(executor)) {
                        this.buffers.runDelegatedTasks();
                    }
                }
                case NEED_WRAP -> {
                    if (!this.buffers.flush()) {
                        return true;
                    }
                    if (offload(executor)) {
                        return true;
                    }
                    wrapHandshake();
                    if (!this.buffers.flush()) {
                        return true;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (executor != null) {
                        this.buffers.flush(); // what the last work wrapped; the reply may take a while
                        if (this.needInput || !this.buffers.hasInput()) {
                            int read = readSocket();
                            if (read <= 0) {
                                return read == 0;
                            }
                            this.needInput = false;
                        }
                        if (offload(executor)) {
                            return true;
                        }
                    }
                    int progress = unwrapHandshake();
                    if (progress < 0) {
                        return false;
                    }
                    if (progress == 0) {
                        return true;
                    }
                }
                default -> handshakeFinished(); // NOT_HANDSHAKING (FINISHED is only ever a result's)
            }
        }
        return true;
    }

    private void wrapHandshake() throws IOException {
        if (this.buffers.wrap(EMPTY).getStatus() == Status.CLOSED) {
            this.buffers.flush();
            throw new SSLHandshakeException("the TLS engine closed during the handshake");
        }
    }

    /** @return 1 when the engine took a record, 0 when it needs bytes the socket does not have, -1 at the end */
    private int unwrapHandshake() throws IOException {
        while (true) {
            int progress = this.buffers.unwrapBuffered();
            if (progress != 0) {
                return progress;
            }
            int read = readSocket();
            if (read < 0) {
                return -1;
            }
            if (read == 0) {
                return 0;
            }
        }
    }

    private void handshakeFinished() {
        this.handshaking = false;
        this.established = true;
        cancelHandshakeTimer();
        SSLSession session = this.engine.getSession();
        this.inputPending = this.buffers.hasPlaintext() || this.buffers.hasInput();
        this.transport.handshakeFinished(new TlsStatus(true, session.getProtocol(), session.getCipherSuite()));
    }

    private void handshakeFailed() {
        cancelHandshakeTimer();
        this.handshakeFailed = true;
        if (this.handshaking) {
            this.handshaking = false; // failed for good: no more handshake work, and no second count
            this.transport.handshakeFailed();
        }
        sendAlertQuietly();
    }

    /** A peer that closed during the handshake: a failure if it had started one, else a mere probe. */
    private void handshakeEndedByPeer() {
        cancelHandshakeTimer();
        this.inboundDone = true;
        if (this.receivedAny) {
            this.transport.handshakeFailed();
        }
        logger.debug("{}: the peer closed the connection during the TLS handshake", this.transport);
        this.handshaking = false;
    }

    /** The timer's action: the transport runs it only while the channel is open on the same socket. */
    private void handshakeTimedOut() {
        this.handshakeTimer = null;
        if (!this.handshaking) {
            return;
        }
        this.handshaking = false;
        this.handshakeFailed = true;
        this.transport.handshakeFailed();
        this.transport.failAndClose(new SSLHandshakeException("TLS handshake with " + this.peer
                + " not finished within " + this.handshakeTimeout.toMillis() + " ms (handshake-timeout)"));
    }

    /**
     * Logs the error of a failed handshake for the dispatcher's default {@code handleError}: at most one
     * line every 10 s per loop, with the number of failures not logged since. Any peer can fail handshakes
     * as fast as it connects (a scanner, a client with no suite in common), so one line per failure would
     * flood the log; the loop's {@code tlsHandshakeFailures} counts every one.
     * @param log the dispatcher's logger (the line is the channel's, not the layer's)
     * @param error what {@code handleError} was given
     * @return whether the error is this layer's failed handshake (logged or held back); {@code false} when
     *         the caller should log it as any other error
     */
    public boolean logHandshakeFailure(Logger log, Throwable error) {
        if (!this.handshakeFailed) {
            return false;
        }
        long unlogged = this.transport.handshakeFailureLog().admit(System.nanoTime());
        if (unlogged >= 0) {
            log.warn("{}: {}; closing. Failed TLS handshakes are logged at most every 10 s per loop (counted in"
                    + " tlsHandshakeFailures); {} more since the last log", this.transport, error.toString(),
                    unlogged);
        }
        return true;
    }

    /** After a failed handshake the engine holds an alert for the peer: send it if the socket takes it. */
    private void sendAlertQuietly() {
        try {
            for (int i = 0; i < 4 && this.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                this.buffers.wrap(EMPTY);
            }
            this.buffers.flush();
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("{}: could not send the TLS alert: {}", this.transport, ex.toString());
        }
    }

    /**
     * After the handshake, a record that starts handshake work is a TLS 1.3 post-handshake message (a
     * key update to answer) or a TLS 1.2 renegotiation, which is refused.
     */
    private void afterHandshakeUnwrap(SSLEngineResult result) throws IOException {
        HandshakeStatus status = result.getHandshakeStatus();
        if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) {
            return;
        }
        String protocol = this.engine.getSession().getProtocol();
        if (!"TLSv1.3".equals(protocol)) {
            throw new SSLException("the peer asked to renegotiate the " + protocol
                    + " session; renegotiation is refused");
        }
        for (int i = 0; i < 8; i++) {
            status = this.engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                this.buffers.runDelegatedTasks();
            }
            else if (status == HandshakeStatus.NEED_WRAP) {
                this.buffers.wrap(EMPTY);
                this.buffers.flush();
            }
            else {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- engine and buffers

    private int readSocket() throws IOException {
        int read = this.buffers.readSocket();
        if (read > 0) {
            this.receivedAny = true;
        }
        return read;
    }

    /**
     * Hands the engine's work, as far as it goes without the socket, to the handshake executor: delegated
     * tasks, wraps of handshake messages, unwraps of the ciphertext already read. Conscrypt does all its key
     * agreement and signing inside wrap and unwrap, the JDK its certificate and key work in delegated tasks;
     * either way a millisecond or so per handshake leaves the loop. The layer registers for nothing until
     * {@link #offloadDone()}; a refused hand-over leaves the work to the caller.
     * @param executor the transport's handshake executor, {@code null} for none
     * @return whether the work was handed over
     */
    private boolean offload(Executor executor) {
        return offload(executor, this::engineSteps);
    }

    private boolean offload(Executor executor, Runnable work) {
        if (executor == null) {
            return false;
        }
        this.offloaded = true;
        try {
            executor.execute(work);
            return true;
        }
        catch (RejectedExecutionException ex) {
            this.offloaded = false;
            return false;
        }
    }

    /** The first hand-over: Conscrypt sets up its native session (suites, key, certificates) as it begins. */
    private void beginAndStep() {
        try {
            this.engine.beginHandshake();
        }
        catch (SSLException | RuntimeException ex) {
            this.offloadFailure = asHandshakeFailure(ex);
            this.transport.resumeHandshake();
            return;
        }
        engineSteps();
    }

    private static SSLException asHandshakeFailure(Exception ex) {
        if (ex instanceof SSLException ssl) {
            return ssl;
        }
        SSLException failure = new SSLHandshakeException(ex.toString());
        failure.initCause(ex);
        return failure;
    }

    /** The handshake executor's part: drives the engine until it needs the socket. Owns engine and buffers. */
    private void engineSteps() {
        try {
            while (true) {
                switch (this.engine.getHandshakeStatus()) {
                    case NEED_TASK -> this.buffers.runDelegatedTasks();
                    case NEED_WRAP -> {
                        if (this.buffers.wrap(EMPTY).getStatus() == Status.CLOSED) {
                            throw new SSLHandshakeException("the TLS engine closed during the handshake");
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        int progress = this.buffers.unwrapBuffered();
                        if (progress <= 0) {
                            this.offloadSawClose = progress < 0;
                            this.needInput = progress == 0;
                            return;
                        }
                    }
                    default -> {
                        return; // finished: the loop publishes it
                    }
                }
            }
        }
        catch (SSLException | RuntimeException ex) {
            this.offloadFailure = asHandshakeFailure(ex);
        }
        finally {
            this.transport.resumeHandshake();
        }
    }

    /** The work handed to the handshake executor finished: the handshake may go on. Loop thread. */
    public void offloadDone() {
        this.offloaded = false;
    }

    private void closeInboundQuietly() {
        try {
            this.engine.closeInbound();
        }
        catch (SSLException ex) {
            // the peer closed the connection without close_notify: common, and harmless for us
            logger.debug("{}: {}", this.transport, ex.getMessage());
        }
    }

    private void cancelHandshakeTimer() {
        ScheduledTask timer = this.handshakeTimer;
        if (timer != null) {
            this.handshakeTimer = null;
            timer.cancel();
        }
    }

}
