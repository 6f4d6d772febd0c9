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
 * Costs: three heap buffers of about one TLS record (16 KiB) each per connection, for its whole life;
 * the engine's delegated tasks (certificate checks, key agreement) run on the loop thread, a millisecond
 * or so per handshake, during which the loop serves nobody else. Loop thread only.
 */
public final class TlsLayer {

    private static final Logger logger = LoggerFactory.getLogger(TlsLayer.class);

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final TlsTransport transport;

    /** The peer's address, for the message of a handshake timeout. */
    private final String peer;

    private final SSLEngine engine;

    private final Duration handshakeTimeout;

    /** Ciphertext read from the socket and not yet unwrapped; write mode (bytes from 0 to position). */
    private ByteBuffer netIn;

    /** Ciphertext wrapped and not yet written; read mode (bytes from position to limit). */
    private ByteBuffer netOut;

    /** Plaintext unwrapped and not yet handed to a handler; read mode. */
    private ByteBuffer appIn;

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

    /** Set while the engine's delegated tasks run on the handshake executor: nothing drives the engine then. */
    private boolean tasksRunning;

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
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize()).limit(0);
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).limit(0);
    }

    /**
     * Begins the handshake and arms its timeout.
     * @throws SSLException when the engine cannot begin
     */
    public void start() throws SSLException {
        this.engine.beginHandshake();
        if (!this.handshakeTimeout.isZero()) {
            this.handshakeTimer = this.transport.schedule(this.handshakeTimeout, this::handshakeTimedOut);
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
        return this.netOut.hasRemaining();
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
            if (!this.handshaking || this.tasksRunning) {
                return 0; // failed (the channel is being closed), or waiting for the delegated tasks
            }
            int handshakeOps = this.netOut.hasRemaining() ? SelectionKey.OP_WRITE : 0;
            HandshakeStatus status = this.engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_WRAP || status == HandshakeStatus.NEED_TASK) {
                handshakeOps |= SelectionKey.OP_WRITE; // a writable socket is ready at once: work goes on
            }
            else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                handshakeOps |= SelectionKey.OP_READ;
            }
            return handshakeOps;
        }
        if (this.netOut.hasRemaining()) {
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
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && this.netOut.hasRemaining()) {
            flush();
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
        drainPlaintext(dst);
        boolean ended = this.inboundDone;
        boolean viaAppIn = false;
        while (dst.hasRemaining() && !ended) {
            if (this.netIn.position() > 0) {
                boolean direct = !viaAppIn && dst.remaining() >= this.engine.getSession().getApplicationBufferSize();
                SSLEngineResult result = direct ? unwrap(dst) : unwrapToAppIn();
                Status status = result.getStatus();
                if (status == Status.OK && result.bytesConsumed() > 0) {
                    afterHandshakeUnwrap(result);
                    if (!direct) {
                        drainPlaintext(dst);
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
                        this.appIn = grow(this.appIn, this.engine.getSession().getApplicationBufferSize());
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
        this.inputPending = this.appIn.hasRemaining() || (!dst.hasRemaining() && this.netIn.position() > 0)
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
        if (!flush()) {
            return 0;
        }
        int start = src.position();
        while (src.hasRemaining()) {
            SSLEngineResult result = wrap(src);
            if (result.getStatus() == Status.CLOSED) {
                throw new SSLException("TLS output of " + this.transport + " is closed");
            }
            if (!flush() || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
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
        try {
            this.engine.closeOutbound();
            for (int i = 0; i < 4 && !this.engine.isOutboundDone(); i++) {
                SSLEngineResult result = wrap(EMPTY);
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
            flush();
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
        while (this.handshaking && !this.tasksRunning) {
            switch (this.engine.getHandshakeStatus()) {
                case NEED_TASK -> startDelegatedTasks();
                case NEED_WRAP -> {
                    if (!flush()) {
                        return true;
                    }
                    if (wrap(EMPTY).getStatus() == Status.CLOSED) {
                        flush();
                        throw new SSLHandshakeException("the TLS engine closed during the handshake");
                    }
                    if (!flush()) {
                        return true;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
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

    /** @return 1 when the engine took a record, 0 when it needs bytes the socket does not have, -1 at the end */
    private int unwrapHandshake() throws IOException {
        while (true) {
            if (this.netIn.position() > 0) {
                SSLEngineResult result = unwrapToAppIn();
                switch (result.getStatus()) {
                    case OK:
                        if (result.bytesConsumed() > 0 || result.bytesProduced() > 0
                                || this.engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
                            return 1;
                        }
                        break; // nothing taken and still waiting for input: read more
                    case CLOSED:
                        return -1;
                    case BUFFER_OVERFLOW:
                        this.appIn = grow(this.appIn, this.engine.getSession().getApplicationBufferSize());
                        continue;
                    default:
                        break; // BUFFER_UNDERFLOW: read more
                }
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
        this.inputPending = this.appIn.hasRemaining() || this.netIn.position() > 0;
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
                wrap(EMPTY);
            }
            flush();
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
                runDelegatedTasks();
            }
            else if (status == HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY);
                flush();
            }
            else {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- engine and buffers

    private int readSocket() throws IOException {
        if (!this.netIn.hasRemaining()) {
            // a record longer than the buffer: make room for a whole one
            ByteBuffer larger = ByteBuffer.allocate(this.netIn.position() + this.engine.getSession().getPacketBufferSize());
            this.netIn.flip();
            larger.put(this.netIn);
            this.netIn = larger;
        }
        int read = this.transport.readSocket(this.netIn);
        if (read > 0) {
            this.receivedAny = true;
        }
        return read;
    }

    /** @return whether everything wrapped has been written */
    private boolean flush() throws IOException {
        ByteBuffer out = this.netOut;
        while (out.hasRemaining()) {
            if (this.transport.writeSocket(out) == 0) {
                return false;
            }
        }
        return true;
    }

    private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        while (true) {
            ByteBuffer out = this.netOut.compact();
            SSLEngineResult result;
            try {
                result = this.engine.wrap(source, out);
            }
            finally {
                out.flip();
            }
            if (result.getStatus() != Status.BUFFER_OVERFLOW) {
                return result;
            }
            this.netOut = grow(out, this.engine.getSession().getPacketBufferSize());
        }
    }

    private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        ByteBuffer in = this.netIn.flip();
        try {
            return this.engine.unwrap(in, dst);
        }
        finally {
            in.compact();
        }
    }

    private SSLEngineResult unwrapToAppIn() throws SSLException {
        ByteBuffer plain = this.appIn.compact();
        try {
            return unwrap(plain);
        }
        finally {
            plain.flip();
        }
    }

    private void drainPlaintext(ByteBuffer dst) {
        ByteBuffer plain = this.appIn;
        if (!plain.hasRemaining()) {
            return;
        }
        int count = Math.min(plain.remaining(), dst.remaining());
        dst.put(dst.position(), plain, plain.position(), count);
        dst.position(dst.position() + count);
        plain.position(plain.position() + count);
    }

    /**
     * The engine's delegated tasks (certificate checks, key agreement: about a millisecond of CPU each) run
     * on the handshake executor, so that a burst of new TLS clients does not stall every other channel of the
     * loop; the handshake waits (registered for nothing) until {@link #tasksDone()}. Without an executor, or
     * when it refuses the work, they run here.
     */
    private void startDelegatedTasks() {
        Executor executor = this.transport.handshakeExecutor();
        if (executor == null) {
            runDelegatedTasks();
            return;
        }
        this.tasksRunning = true;
        try {
            executor.execute(() -> {
                try {
                    runDelegatedTasks();
                }
                finally {
                    this.transport.resumeHandshake(); // a task that threw: the engine reports it on the next step
                }
            });
        }
        catch (RejectedExecutionException ex) {
            this.tasksRunning = false;
            runDelegatedTasks();
        }
    }

    /** The delegated tasks handed to the executor finished: the handshake may go on. Loop thread. */
    public void tasksDone() {
        this.tasksRunning = false;
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = this.engine.getDelegatedTask()) != null) {
            task.run();
        }
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

    /** @return a buffer in read mode with the same bytes and at least {@code room} more capacity */
    private static ByteBuffer grow(ByteBuffer readMode, int room) {
        ByteBuffer larger = ByteBuffer.allocate(readMode.remaining() + room);
        larger.put(readMode);
        return larger.flip();
    }

}
