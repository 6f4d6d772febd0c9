package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.ChannelState;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.EventExecutor;
import io.github.asyncore.core.IdleState;
import io.github.asyncore.core.ScheduledTask;
import io.github.asyncore.core.TlsSettings;
import io.github.asyncore.core.TlsStatus;
import io.github.asyncore.core.internal.loop.FatalErrors;
import io.github.asyncore.core.internal.loop.LogThrottle;
import io.github.asyncore.core.internal.loop.LoopChannel;
import io.github.asyncore.core.internal.loop.LoopStatistics;
import io.github.asyncore.core.internal.loop.OutputMemoryExhaustedException;
import io.github.asyncore.core.internal.tls.TlsLayer;
import io.github.asyncore.core.internal.tls.TlsTransport;
import io.github.asyncore.core.internal.transport.DisconnectErrors;
import io.github.asyncore.core.internal.transport.Sockets;
import io.github.asyncore.core.internal.transport.StreamTransport;
import io.github.asyncore.core.internal.transport.Transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core of one channel, under its {@code Dispatcher}: the state asyncore's flags describe
 * ({@code connected}, {@code accepting}, {@code connecting}, closing and closed, the half-closes), the
 * byte path through the TLS layer and the transport with its counters, what the loop waits for, the
 * routing of ready events and errors to the handlers, the close with its reason, and the graceful drain.
 * Opening the socket is {@link SocketSetup}'s; idle timeouts are {@link IdleTracker}'s; a listener's limits
 * are its {@link AcceptGate}'s; output figures and limits are {@link OutputBounds}'. Not API.
 * <p>
 * Threads: the loop thread for everything but the getters marked "any thread", which read volatile
 * state.
 */
public final class ChannelCore implements LoopChannel, TlsTransport {

    /** Channel log lines keep the category operators configure: that of the public {@code Dispatcher}. */
    static final Logger logger = LoggerFactory.getLogger("io.github.asyncore.core.Dispatcher");

    private static final AtomicLong ids = new AtomicLong();

    private static final TlsStatus HANDSHAKING = new TlsStatus(false, null, null);

    private final long id = ids.incrementAndGet();

    private final ChannelHandler handler;

    private ChannelContext context;

    private EventExecutor executor;

    private final ChannelStatistics statistics = new ChannelStatistics();

    private volatile String name;

    private final TrafficAccount trafficAccount;

    private volatile ChannelSettings settings = ChannelSettings.DEFAULTS;

    private final OutputBounds bounds;

    private final IdleTracker idle;

    private final AcceptGate acceptGate;

    private final SocketSetup setup;

    private volatile TlsSettings tlsSettings;

    private TlsLayer tlsLayer;

    private volatile TlsStatus tlsStatus;

    /** Runs the read handler again for input the TLS layer holds; queued at most once at a time. */
    private Runnable redelivery;

    private boolean redeliveryQueued;

    volatile Transport transport;

    private SelectionKey key;

    private int interestOps = -1;

    boolean connectPending;

    volatile ChannelKind kind = ChannelKind.CLIENT;

    volatile SocketAddress localAddress;

    volatile SocketAddress remoteAddress;

    volatile boolean socketCreated;

    volatile boolean connected;

    volatile boolean accepting;

    volatile boolean connecting;

    private volatile boolean closing;

    private volatile boolean closed;

    private volatile boolean evaluatedReadable;

    private volatile boolean evaluatedWritable;

    private volatile boolean inputEnded;

    private volatile boolean outputShutdown;

    /** The reason a close made now would have, while a handler for such an event runs; else {@code null}. */
    private CloseReason closeCause;

    private volatile CloseReason closeReason;

    /** Set once the map's listeners heard that the channel opened, so that they hear it close. */
    private boolean announced;

    private boolean readSuspended;

    private DrainState drain;

    private boolean inHandler;

    private boolean queuedForEvaluation;

    /** How many times the channel was given a socket after a close; written on the loop thread. */
    private volatile int generation;

    /**
     * @param handler the facade's side
     * @param name the name observers see until it is set
     */
    public ChannelCore(ChannelHandler handler, String name) {
        this.handler = handler;
        this.name = name;
        this.trafficAccount = new TrafficAccount(name);
        this.bounds = new OutputBounds(this, ChannelSettings.DEFAULTS);
        this.idle = new IdleTracker(this);
        this.acceptGate = new AcceptGate(this);
        this.setup = new SocketSetup(this);
    }

    // ---------------------------------------------------------------- parts and context

    /** @return the channel id, unique in the process and never reused; any thread */
    public long id() {
        return this.id;
    }

    /** @return the facade's side */
    public ChannelHandler handler() {
        return this.handler;
    }

    /** @return opening, binding, listening, connecting and accepting the socket */
    public SocketSetup setup() {
        return this.setup;
    }

    /** @return the output figures, water marks and output limits; any thread */
    public OutputBounds bounds() {
        return this.bounds;
    }

    /** @return a listener's accept gate: its open connections and limits */
    public AcceptGate acceptGate() {
        return this.acceptGate;
    }

    IdleTracker idle() {
        return this.idle;
    }

    /**
     * Joins the context of a map; the loop's executor comes with it.
     * @param context the map's context
     */
    public void attach(ChannelContext context) {
        this.executor = context.executor();
        this.context = context;
    }

    /** @return the map's context, resolved through the facade on first use */
    public ChannelContext context() {
        ChannelContext current = this.context;
        return (current != null) ? current : this.handler.resolveContext();
    }

    /** @return the loop's executor; any thread */
    public EventExecutor executor() {
        if (this.executor == null) {
            context();
        }
        return this.executor;
    }

    /** @return the loop-wide counters */
    public LoopStatistics loopStatistics() {
        return context().statistics();
    }

    /** @return the counters this channel's traffic goes to; loop thread */
    public DispatcherCounters traffic() {
        return this.trafficAccount.counters(context());
    }

    /** @return where this channel's traffic counts; any thread */
    public TrafficAccount trafficAccount() {
        return this.trafficAccount;
    }

    /** @return the channel's own byte counts and times; any thread */
    public ChannelStatistics statistics() {
        return this.statistics;
    }

    // ---------------------------------------------------------------- handing work to the loop

    /**
     * @param action work for the loop that concerns this channel's current socket only
     * @return it, as a task that does nothing once the channel was given a new socket after a close
     */
    public Runnable channelTask(IoAction action) {
        return new ChannelTask(this, this.generation, action);
    }

    /**
     * @param action work for the loop that concerns this channel, whatever socket it has by then
     * @return it, as a task
     */
    public Runnable anySocketTask(IoAction action) {
        return new ChannelTask(this, ChannelTask.ANY_SOCKET, action);
    }

    /**
     * "Hand it to the loop unless on it": the one way an any-thread operation reaches the loop thread.
     * @param action the operation, to run again on the loop thread when the caller is elsewhere
     * @return whether it was handed over (the caller returns), {@code false} on the loop thread
     */
    public boolean handedToLoop(IoAction action) {
        EventExecutor loop = executor();
        if (loop.inEventLoop()) {
            return false;
        }
        loop.execute(channelTask(action));
        return true;
    }

    /**
     * Runs an action on the loop with the channel's error routing.
     * @param action what to run
     */
    public void invoke(IoAction action) {
        try {
            action.run();
        }
        catch (Throwable ex) {
            handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
        }
    }

    /** @return the generation of the channel's socket; any thread */
    public int generation() {
        return this.generation;
    }

    /**
     * Throws unless the caller is on the loop thread (or no thread runs the loop).
     * @param operation what was called, for the message
     */
    public void checkInEventLoop(String operation) {
        if (!executor().inEventLoop()) {
            throw new IllegalStateException(this.handler + ": " + operation + "() must run on the loop thread of "
                    + context().name() + ", not on " + Thread.currentThread().getName()
                    + "; hand it over with executor().execute(...)");
        }
    }

    // ---------------------------------------------------------------- the byte path

    /**
     * The one byte path in: reads (through the TLS layer when there is one), and turns end-of-stream and
     * disconnects into handleEndOfStream and handleClose.
     * @param buffer where to put the bytes
     * @return bytes read, 0 when none were waiting, -1 when the peer is gone
     * @throws IOException on socket errors other than disconnects
     */
    public int read(ByteBuffer buffer) throws IOException {
        int read;
        try {
            TlsLayer layer = this.tlsLayer;
            read = (layer == null) ? readSocket(buffer) : layer.read(buffer);
        }
        catch (IOException ex) {
            if (DisconnectErrors.isDisconnect(ex)) {
                peerGone();
                return -1;
            }
            throw ex;
        }
        if (read < 0) {
            endOfStream();
            return -1;
        }
        return read;
    }

    /**
     * The one byte path out: writes (through the TLS layer when there is one); disconnects become
     * handleClose. When the JVM has no direct memory for the write (the JDK copies heap buffers through a
     * direct one), the channel is closed for its output and nothing is written.
     * @param data the bytes; its position advances past those taken
     * @return bytes taken
     * @throws IOException on socket errors other than disconnects
     */
    public int write(ByteBuffer data) throws IOException {
        try {
            TlsLayer layer = this.tlsLayer;
            return (layer == null) ? writeSocket(data) : layer.write(data);
        }
        catch (IOException ex) {
            if (DisconnectErrors.isDisconnect(ex)) {
                peerGone();
                return 0;
            }
            throw ex;
        }
        catch (OutOfMemoryError ex) {
            if (!OutputMemoryExhaustedException.isDirectMemoryError(ex)) {
                throw ex;
            }
            this.bounds.exceeded(OutputOverflow.MEMORY, this.bounds.pending(), "the JVM's direct buffer memory is"
                    + " used up (" + ex.getMessage() + ")");
            return 0;
        }
    }

    @Override
    public int readSocket(ByteBuffer buffer) throws IOException {
        int read = requireTransport().read(buffer);
        if (read > 0) {
            countRead(read);
        }
        return read;
    }

    @Override
    public int writeSocket(ByteBuffer data) throws IOException {
        int written = requireTransport().write(data);
        if (written > 0) {
            countWritten(written);
        }
        return written;
    }

    /**
     * Counts bytes read: the channel's figures and its dispatcher name's, on one clock reading.
     * @param bytes how many
     */
    public void countRead(int bytes) {
        this.statistics.read(bytes, clock());
        traffic().bytesRead(bytes);
    }

    /**
     * Counts bytes written: the channel's figures and its dispatcher name's, on one clock reading.
     * @param bytes how many
     */
    public void countWritten(int bytes) {
        this.statistics.written(bytes, clock());
        traffic().bytesWritten(bytes);
    }

    /** @return the loop's clock inside a handler (read once per dispatch), else the system's */
    private long clock() {
        return this.inHandler ? loopStatistics().now : System.nanoTime();
    }

    private Transport requireTransport() {
        Transport current = this.transport;
        if (current == null) {
            throw new IllegalStateException(this.handler + " is neither connected nor listening");
        }
        return current;
    }

    // ---------------------------------------------------------------- close-cause scoping and event routing

    /**
     * Runs an action with the reason a close it makes would have (see {@code CloseReason}): the one place
     * that scopes a close's cause.
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

    /** @return the reason a close made now would have, or {@code null} for {@code APPLICATION} */
    public CloseReason closeCause() {
        return this.closeCause;
    }

    /** A read found end-of-stream: stop reading for good and let the dispatcher answer or close. */
    private void endOfStream() throws IOException {
        this.inputEnded = true;
        suspendReading(); // end-of-stream stays readable: never ask again
        withCloseCause(CloseReason.PEER, this.handler::handleEndOfStream);
    }

    /** A disconnect error: asyncore's {@code handle_close}, a close in it made for the peer. */
    private void peerGone() throws IOException {
        withCloseCause(CloseReason.PEER, this.handler::handleClose);
    }

    /**
     * asyncore's {@code _DISCONNECTED} rule: disconnects close, everything else is an error.
     * @param error what a handler or the channel's work threw
     */
    public void handleErrorEvent(Throwable error) {
        boolean disconnect = DisconnectErrors.isDisconnect(error);
        try {
            withCloseCause(disconnect ? CloseReason.PEER : CloseReason.ERROR, () -> routeError(error, disconnect));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex); // routeError handles its own
        }
    }

    private void routeError(Throwable error, boolean disconnect) {
        try {
            if (disconnect) {
                this.handler.handleClose();
            }
            else {
                traffic().handlerError();
                this.handler.handleError(error);
            }
        }
        catch (Throwable secondary) {
            FatalErrors.rethrowIfFatal(secondary);
            secondary.addSuppressed(error);
            logger.error("{}: {} threw; closing", this.handler, disconnect ? "handleClose" : "handleError", secondary);
            this.handler.close();
        }
    }

    @Override
    public void failAndClose(IOException error) {
        handleErrorEvent(error);
        this.handler.close();
    }

    // ---------------------------------------------------------------- what the loop waits for, and dispatch

    @Override
    public void updateInterest(Selector selector, boolean draining) {
        Transport current = this.transport;
        if (current == null || this.closed) {
            return;
        }
        boolean readable;
        boolean writable;
        int ops;
        try {
            if (this.accepting) {
                readable = this.handler.readable() && !draining;
                writable = false;
            }
            else if (this.connectPending) {
                readable = this.handler.readable();
                writable = this.handler.writable();
            }
            else if (draining) {
                // shutting down: no more input for the handlers; write what is owed, then only discard
                DrainState state = this.drain;
                readable = state != null && state.discardingInput && !state.peerClosed;
                writable = (state == null || state.finSentNanos == 0) && !this.outputShutdown && this.handler.writable();
            }
            else {
                readable = this.handler.readable() && !this.bounds.readPaused() && !this.readSuspended;
                writable = !this.outputShutdown && this.handler.writable();
            }
        }
        catch (Throwable ex) {
            handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
            return;
        }
        if (this.connectPending) {
            ops = (readable || writable) ? SelectionKey.OP_CONNECT : 0;
        }
        else {
            ops = current.interestOps(readable, writable);
        }
        TlsLayer layer = this.tlsLayer;
        if (layer != null) {
            ops = tlsInterest(layer, ops, readable);
        }
        if (readable != this.evaluatedReadable) {
            this.evaluatedReadable = readable;
        }
        if (writable != this.evaluatedWritable) {
            this.evaluatedWritable = writable;
        }
        if (this.closed || (ops == this.interestOps && this.key != null)) {
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
            handleErrorEvent(ex);
        }
    }

    /** What the TLS layer needs waited for, and a redelivery of the input it holds when the handlers want input. */
    private int tlsInterest(TlsLayer layer, int ops, boolean readable) {
        if (readable && layer.hasBufferedInput() && !this.redeliveryQueued) {
            this.redeliveryQueued = true;
            executor().execute(this.redelivery);
        }
        return layer.interestOps(ops);
    }

    /** Hands the handlers the input the TLS layer holds and the socket will not signal again. */
    private void redeliver() {
        this.redeliveryQueued = false;
        TlsLayer layer = this.tlsLayer;
        if (layer != null && layer.hasBufferedInput() && !this.closed) {
            dispatch(SelectionKey.OP_READ);
        }
    }

    @Override
    public void dispatch(int readyOps) {
        this.inHandler = true;
        try {
            if ((readyOps & SelectionKey.OP_ACCEPT) != 0) {
                this.acceptGate.handleAcceptEvent();
                return;
            }
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                this.setup.finishConnect();
                return;
            }
            TlsLayer layer = this.tlsLayer;
            if (layer != null) {
                readyOps = tlsReady(layer, readyOps);
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                if (this.drain != null && this.drain.discardingInput) {
                    this.drain.discardInput(this);
                    return;
                }
                handleReadEvent();
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0 && !this.closed) {
                handleWriteEvent();
            }
            if (!this.closed) {
                this.inHandler = false;
                this.handler.afterHandlers();
            }
        }
        catch (Throwable ex) {
            handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
        }
        finally {
            this.inHandler = false;
        }
    }

    /**
     * The TLS layer's part of a ready event: it writes and reads what the handshake and the ciphertext
     * need; the handlers then see only what they asked for. A client's connect completes (and
     * {@code handleConnect()} runs) once its handshake has finished.
     */
    private int tlsReady(TlsLayer layer, int readyOps) throws IOException {
        int ops = layer.ready(readyOps);
        if (this.connecting && layer.isEstablished() && !this.closed) {
            handleConnectEvent();
        }
        return ops & ((this.evaluatedReadable ? SelectionKey.OP_READ : 0)
                | (this.evaluatedWritable ? SelectionKey.OP_WRITE : 0));
    }

    private void handleReadEvent() throws IOException {
        if (this.accepting) {
            this.acceptGate.handleAcceptEvent();
            return;
        }
        if (this.connecting) {
            handleConnectEvent();
        }
        if (!this.closed) {
            this.handler.handleRead();
        }
    }

    /** The first write event of a connected socket, or the next one. */
    void handleWriteEvent() throws IOException {
        if (this.accepting) {
            return; // a listener has no write events; pretend it did not happen, as asyncore does
        }
        if (this.connecting) {
            handleConnectEvent();
        }
        if (!this.closed) {
            this.handler.handleWrite();
        }
    }

    /** asyncore's implied connect: the first event of a connecting socket completes it. */
    void handleConnectEvent() throws IOException {
        this.connecting = false;
        this.connected = true;
        if (this.transport instanceof StreamTransport stream) {
            this.remoteAddress = stream.remoteAddress();
        }
        this.idle.arm();
        announceOpened();
        this.handler.connectEnded(null);
        this.handler.handleConnect();
    }

    /** @return whether the last evaluation found the channel wanting to write */
    boolean isWritableEvaluated() {
        return this.evaluatedWritable;
    }

    /** @return whether one of this channel's event handlers is running now (on the loop thread) */
    public boolean inHandler() {
        return this.inHandler;
    }

    /** Asks the loop to evaluate this channel's {@code readable()}/{@code writable()} again. */
    public void markForEvaluation() {
        context().markForEvaluation(this);
    }

    @Override
    public boolean queuedForEvaluation() {
        return this.queuedForEvaluation;
    }

    @Override
    public void queuedForEvaluation(boolean queued) {
        this.queuedForEvaluation = queued;
    }

    /**
     * Publishes the output queued on the loop, and applies the water marks and the output limits to it
     * and what other threads handed in.
     * @param queuedBytes the output queued now
     */
    public void outputChanged(long queuedBytes) {
        if (!this.inHandler && this.socketCreated) {
            markForEvaluation(); // in a handler, the loop re-evaluates the channel afterwards
        }
        this.bounds.apply(queuedBytes);
    }

    /**
     * @param state an idle state
     * @return its timeout in the settings in force, zero for none
     */
    public Duration idleTimeout(IdleState state) {
        return this.idle.timeout(state);
    }

    /** Stops reading for good (the loop no longer waits for input). */
    public void suspendReading() {
        this.readSuspended = true;
        markForEvaluation();
    }

    /** Tells the map's listeners, once, that the channel is ready for traffic. */
    void announceOpened() {
        if (this.announced || this.closed) {
            return;
        }
        ChannelListeners listeners = context().listeners();
        if (listeners.isEmpty()) {
            return;
        }
        this.announced = true;
        listeners.opened(snapshot());
    }

    boolean announced() {
        return this.announced;
    }

    // ---------------------------------------------------------------- close and half-close

    /**
     * asyncore's {@code close()}: closes the socket and leaves the map, once. Off the loop thread it is
     * handed to the loop (through the facade's {@code close()}, which may be overridden). Any thread.
     */
    public void close() {
        if (this.closed) {
            return;
        }
        if (!executor().inEventLoop()) {
            this.closing = true;
            executor().execute(this.handler::close);
            return;
        }
        this.closed = true;
        this.closing = false;
        CloseReason reason = (this.closeCause != null) ? this.closeCause : CloseReason.APPLICATION;
        this.closeReason = reason;
        this.acceptGate.connectionEnded();
        this.connected = false;
        this.accepting = false;
        this.connecting = false;
        context().remove(this.id);
        this.setup.cancelConnectTimer();
        this.idle.cancel();
        this.bounds.closed();
        this.handler.releaseOutput();
        this.handler.closed();
        TlsLayer layer = this.tlsLayer;
        if (layer != null) {
            layer.closeOutbound(); // close_notify, if the socket takes it at once
        }
        if (this.key != null) {
            this.key.cancel();
        }
        Transport current = this.transport;
        if (current != null) {
            current.close();
        }
        if (this.key != null) {
            context().releaseClosedChannels(); // the socket closes for real once the selector lets go of it
        }
        if (this.announced) {
            context().listeners().closed(snapshot(), reason);
        }
    }

    /**
     * Closes through the facade's {@code close()}, recording why. Any thread; the first close wins.
     * @param reason why the channel is being closed
     */
    public void close(CloseReason reason) {
        if (this.closed) {
            return;
        }
        if (!executor().inEventLoop()) {
            this.closing = true;
            executor().execute(() -> close(reason));
            return;
        }
        try {
            withCloseCause(reason, this.handler::close);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex); // close() throws none
        }
    }

    @Override
    public void closeSoon() {
        executor().execute(channelTask(this.handler::close));
    }

    @Override
    public void closeForShutdown() {
        close(CloseReason.SHUTDOWN);
    }

    @Override
    public void closeAfterFailure() {
        close(CloseReason.ERROR);
    }

    /** Reports the channel as closing from now on, so that sends are refused. Any thread. */
    public void markClosing() {
        this.closing = true;
    }

    /**
     * Sends end-of-stream now, unless already sent or closed.
     * @throws IOException on socket errors other than disconnects
     * @throws IllegalStateException when the channel is not a connected stream
     */
    public void shutdownOutputNow() throws IOException {
        if (this.closed || this.outputShutdown) {
            return;
        }
        if (!(this.transport instanceof StreamTransport stream) || !this.connected) {
            throw new IllegalStateException(this.handler + ": only a connected stream socket can shut its output down");
        }
        this.outputShutdown = true;
        try {
            sendEndOfStream(stream);
        }
        catch (IOException ex) {
            if (DisconnectErrors.isDisconnect(ex)) {
                peerGone();
                return;
            }
            throw ex;
        }
        markForEvaluation();
    }

    /** The one place this side ends its output: TLS close_notify first (when speaking TLS), then the FIN. */
    private void sendEndOfStream(StreamTransport stream) throws IOException {
        TlsLayer layer = this.tlsLayer;
        if (layer != null) {
            layer.closeOutbound(); // TLS 1.3 keeps the inbound side open
        }
        stream.shutdownOutput();
    }

    /**
     * Checks that a half-close could apply once pending output is written.
     * @throws IllegalStateException when the channel is not a stream connection or a client
     */
    public void checkCanShutdownOutput() {
        if (this.setup.isDatagram() || this.accepting || !(this.connected || this.connecting)) {
            throw new IllegalStateException(this.handler + ": only a connected stream socket can shut its output down");
        }
    }

    // ---------------------------------------------------------------- graceful shutdown

    @Override
    public boolean drainStep(long nowNanos, long graceNanos) {
        if (hasPendingOutput() || hasPendingCiphertext()) {
            return false;
        }
        if (!(this.transport instanceof StreamTransport stream) || !this.connected || this.closed) {
            return true;
        }
        DrainState state = this.drain;
        if (state == null) {
            state = new DrainState();
            this.drain = state;
        }
        if (state.finSentNanos == 0) {
            try {
                sendEndOfStream(stream);
            }
            catch (IOException ex) {
                return true; // the peer is gone already
            }
            this.outputShutdown = true;
            state.finSentNanos = nowNanos;
            state.discardingInput = true;
            return false;
        }
        return state.peerClosed || nowNanos - state.finSentNanos >= graceNanos;
    }

    @Override
    public boolean isListener() {
        return this.accepting;
    }

    @Override
    public boolean hasPendingOutput() {
        return this.handler.hasPendingOutput();
    }

    @Override
    public long pendingOutputBytes() {
        return this.bounds.pending();
    }

    // ---------------------------------------------------------------- TLS

    /**
     * Sets the TLS settings, starting the handshake at once on a connected stream.
     * @param tls the settings, or {@code null} for none
     */
    public void setTls(TlsSettings tls) {
        if (this.setup.isDatagram()) {
            throw new IllegalStateException(this.handler + ": TLS needs a stream socket; DTLS is not supported");
        }
        if (this.tlsLayer != null) {
            throw new IllegalStateException(this.handler + " already speaks TLS on its connection");
        }
        this.tlsSettings = tls;
        this.tlsStatus = (tls != null) ? HANDSHAKING : null;
        if (tls != null && this.connected && !this.closed && this.transport instanceof StreamTransport) {
            try {
                startTls();
            }
            catch (IOException ex) {
                handleErrorEvent(ex);
            }
        }
    }

    /** Puts the TLS layer on a connected stream and begins the handshake. */
    void startTls() throws SSLException {
        TlsSettings tls = this.tlsSettings;
        TlsLayer layer = new TlsLayer(this, Sockets.format(this.remoteAddress), tls.newEngine(this.remoteAddress),
                tls.handshakeTimeout());
        this.tlsLayer = layer;
        this.tlsStatus = HANDSHAKING;
        this.redelivery = channelTask(this::redeliver); // per connection: a task is bound to one socket
        this.redeliveryQueued = false;
        layer.start();
        markForEvaluation();
    }

    /** @return the TLS settings in force (for a listener: those its connections inherit), or {@code null} */
    public TlsSettings tlsSettings() {
        return this.tlsSettings;
    }

    /** @return what observers see of the TLS state, or {@code null} for a plain channel; any thread */
    public TlsStatus tlsStatus() {
        return this.tlsStatus;
    }

    /** @return the TLS layer of a connected stream with TLS settings, or {@code null} */
    public TlsLayer tlsLayer() {
        return this.tlsLayer;
    }

    /** @return whether the TLS layer holds ciphertext the socket has not taken yet */
    public boolean hasPendingCiphertext() {
        TlsLayer layer = this.tlsLayer;
        return layer != null && layer.hasPendingOutput();
    }

    @Override
    public void handshakeFinished(TlsStatus status) {
        this.tlsStatus = status;
        traffic().tlsHandshake();
    }

    @Override
    public void handshakeFailed() {
        traffic().tlsHandshakeFailed();
    }

    @Override
    public ScheduledTask schedule(Duration delay, Runnable action) {
        return executor().schedule(delay, channelTask(() -> {
            if (!this.closed) {
                action.run();
            }
        }));
    }

    @Override
    public LogThrottle handshakeFailureLog() {
        return loopStatistics().tlsHandshakeFailureLog;
    }

    // ---------------------------------------------------------------- state, settings, reopening

    /** @return the name observers show; any thread */
    public String name() {
        return this.name;
    }

    /**
     * Names the channel; its traffic counts under the name from the next event on. Any thread.
     * @param name the new name
     */
    public void name(String name) {
        this.name = name;
        this.trafficAccount.rename(name);
        if (this.socketCreated && !this.closed) { // joined: count under the new name from now on
            if (!handedToLoop(() -> this.trafficAccount.resolve(context()))) {
                this.trafficAccount.resolve(context());
            }
        }
    }

    /** @return the timeouts and limits in force; any thread */
    public ChannelSettings settings() {
        return this.settings;
    }

    /**
     * Sets the timeouts and limits; idle timers restart with the new values.
     * @param settings the new settings
     */
    public void settings(ChannelSettings settings) {
        this.settings = settings;
        this.bounds.settingsChanged(settings);
        if (this.idle.armed() || (this.connected && !this.closed)) {
            this.idle.arm();
        }
        if (this.socketCreated && !this.closed) {
            markForEvaluation();
        }
    }

    /** An accepted connection takes its listener's settings, TLS settings and name. */
    void inherit(ChannelCore listener) {
        this.settings = listener.settings;
        this.bounds.settingsChanged(listener.settings);
        TlsSettings tls = listener.tlsSettings;
        if (tls != null) {
            this.tlsSettings = tls;
            this.tlsStatus = HANDSHAKING;
        }
        this.name = listener.name + "#" + this.id;
        this.trafficAccount.inherit(listener.trafficAccount);
    }

    /** @return the state observers see; any thread */
    public ChannelState state() {
        if (this.closed) {
            return ChannelState.CLOSED;
        }
        if (this.closing) {
            return ChannelState.CLOSING;
        }
        if (this.accepting) {
            return ChannelState.LISTENING;
        }
        if (this.connecting) {
            return ChannelState.CONNECTING;
        }
        return this.connected ? ChannelState.CONNECTED : ChannelState.OPEN;
    }

    /** @return the socket kind; any thread */
    public ChannelKind kind() {
        return this.kind;
    }

    /** @return the bound local address, or {@code null}; any thread */
    public SocketAddress localAddress() {
        return this.localAddress;
    }

    /** @return the peer's address, or {@code null}; any thread */
    public SocketAddress remoteAddress() {
        return this.remoteAddress;
    }

    /** @return asyncore's {@code connected}; any thread */
    public boolean isConnected() {
        return this.connected;
    }

    /** @return asyncore's {@code accepting}; any thread */
    public boolean isAccepting() {
        return this.accepting;
    }

    /** @return asyncore's {@code connecting}; any thread */
    public boolean isConnecting() {
        return this.connecting;
    }

    /** @return whether a close was asked for and has not happened yet; any thread */
    public boolean isClosing() {
        return this.closing;
    }

    /** @return whether the channel is closed; any thread */
    public boolean isClosed() {
        return this.closed;
    }

    /** @return whether the channel has a socket not yet closed; any thread */
    public boolean hasSocket() {
        return this.socketCreated && !this.closed;
    }

    /** @return why the channel closed, or {@code null} while open; any thread */
    public CloseReason closeReason() {
        return this.closeReason;
    }

    /** @return whether a read found end-of-stream; any thread */
    public boolean isInputEnded() {
        return this.inputEnded;
    }

    /** @return whether this side sent end-of-stream; any thread */
    public boolean isOutputShutdown() {
        return this.outputShutdown;
    }

    /** @return whether the channel is open and below its high water mark; any thread */
    public boolean isWritable() {
        return !this.bounds.unwritable() && !this.closed && !this.closing
                && this.bounds.pending() <= this.settings.writeBufferWaterMark().high();
    }

    /** @return what the channel waits for, for logs: output owed and whether it reads */
    public String ioState() {
        String reading = this.readSuspended ? "input ended"
                : this.bounds.readPaused() ? "reading paused by the water marks"
                : this.evaluatedReadable ? "reading" : "not readable";
        return this.bounds.pending() + " bytes unsent, " + reading;
    }

    /** @return a snapshot for observers */
    public ChannelSnapshot snapshot() {
        return new ChannelSnapshot(this.id, this.name, this.handler.className(), this.kind, state(),
                this.localAddress, this.remoteAddress, this.evaluatedReadable, this.evaluatedWritable,
                this.statistics.bytesRead(), this.statistics.bytesWritten(), this.bounds.pending(),
                this.statistics.createdAt(), this.statistics.lastReadAt(), this.statistics.lastWriteAt(),
                context().name(), this.inputEnded, this.outputShutdown, this.tlsStatus, isWritable(),
                this.settings.outputLimit());
    }

    /**
     * Starts a closed channel afresh for a new socket: every per-socket field as a new channel has it. The
     * id, name, settings, TLS settings, statistics and a listener's count of open connections carry over.
     */
    void reopen() {
        this.generation++; // before anything else: work handed in for the old socket does nothing now
        this.transport = null;
        this.key = null;
        this.interestOps = -1;
        this.setup.reset();
        this.connectPending = false;
        this.idle.reset();
        this.kind = ChannelKind.CLIENT;
        this.localAddress = null;
        this.remoteAddress = null;
        this.acceptGate.reset();
        this.connected = false;
        this.accepting = false;
        this.connecting = false;
        this.inputEnded = false;
        this.outputShutdown = false;
        this.readSuspended = false;
        this.drain = null;
        this.evaluatedReadable = false;
        this.evaluatedWritable = false;
        this.announced = false;
        this.tlsLayer = null;
        this.redeliveryQueued = false;
        this.tlsStatus = (this.tlsSettings != null) ? HANDSHAKING : null;
        this.bounds.reopened();
        this.handler.reopened();
        this.socketCreated = false;
        this.closeReason = null;
        this.closing = false;
        this.closed = false;
    }

    @Override
    public String toString() {
        return this.handler.toString();
    }

    /** An action that may throw an I/O error, run with the channel's error routing. */
    @FunctionalInterface
    public interface IoAction {

        /** @throws IOException as the action's socket operations do */
        void run() throws IOException;

    }

    /** This channel's part of a graceful shutdown. */
    static final class DrainState {

        long finSentNanos;

        boolean discardingInput;

        boolean peerClosed;

        /** Reads and drops what the peer sends while the channel drains; notes the peer's end-of-stream. */
        void discardInput(ChannelCore channel) {
            ByteBuffer scratch = channel.context().buffers().readBuffer(64 * 1024);
            Transport transport = channel.transport;
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

    /** @return the selectable JDK channel, or {@code null} before listen or connect */
    SelectableChannel selectable() {
        Transport current = this.transport;
        return (current != null) ? current.channel() : null;
    }

}
