package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.ChannelState;
import io.github.asyncore.core.ChannelTransition.Kind;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.EventExecutor;
import io.github.asyncore.core.internal.loop.LoopChannel;
import io.github.asyncore.core.internal.loop.LoopStatistics;
import io.github.asyncore.core.internal.transport.DisconnectErrors;
import io.github.asyncore.core.internal.transport.Sockets;
import io.github.asyncore.core.internal.transport.StreamTransport;
import io.github.asyncore.core.internal.transport.Transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core of one channel, under its {@code Dispatcher}: the state asyncore's flags describe
 * ({@code connected}, {@code accepting}, {@code connecting}, closing and closed, the half-closes), its
 * settings and name, the close with its reason, the half-close, and a fresh start after a close. The rest
 * is one part per concern, each reachable from here: {@link EventRouter} (what the selector waits for, the
 * routing of ready events; the channel as the loop sees it), {@link BytePath} (bytes and their counters),
 * {@link SocketSetup} (getting a socket), {@link AcceptGate} (a listener's limits), {@link IdleTracker},
 * {@link OutputBounds}, {@link DrainStep}, {@link ErrorRouting} (errors and close causes),
 * {@link ChannelTls} and {@link ChannelDescription}. It calls its dispatcher only through
 * {@link ChannelHandler}. Not API.
 * <p>
 * Threads: the loop thread for everything but the getters marked "any thread", which read volatile
 * state.
 */
public final class ChannelCore {

    /** Channel log lines keep the category operators configure: that of the public {@code Dispatcher}. */
    static final Logger logger = LoggerFactory.getLogger("io.github.asyncore.core.Dispatcher");

    private static final AtomicLong ids = new AtomicLong();

    private final long id = ids.incrementAndGet();

    private final ChannelHandler handler;

    private ChannelContext context;

    private EventExecutor executor;

    /** The loop's counters and clock, taken from the context when the channel joins it. */
    LoopStatistics loopStatistics;

    private final ChannelStatistics statistics = new ChannelStatistics();

    private volatile String name;

    private final TrafficAccount trafficAccount;

    private volatile ChannelSettings settings = ChannelSettings.DEFAULTS;

    private final OutputBounds bounds;

    private final IdleTracker idle;

    private final AcceptGate acceptGate;

    private final SocketSetup setup;

    private final ChannelTls tls;

    private final EventRouter router;

    private final BytePath bytes;

    private final ErrorRouting errors;

    private final ChannelDescription description;

    private final ChannelHistory history = new ChannelHistory();

    private final ChannelDiagnostics diagnostics;

    private final ModalClose modalClose;

    volatile Transport transport;

    boolean connectPending;

    volatile ChannelKind kind = ChannelKind.CLIENT;

    volatile SocketAddress localAddress;

    volatile SocketAddress remoteAddress;

    volatile boolean socketCreated;

    volatile boolean connected;

    volatile boolean accepting;

    volatile boolean connecting;

    private volatile boolean closing;

    volatile boolean closed;

    volatile boolean inputEnded;

    private volatile boolean outputShutdown;

    private volatile CloseReason closeReason;

    /** Set once the map's listeners heard that the channel opened, so that they hear it close. */
    private boolean announced;

    /** Whether the transition to open (or connected) was recorded for the current socket. */
    private boolean opened;

    boolean readSuspended;

    /** Set while this channel's event handlers run (by its {@link EventRouter}). Loop thread. */
    boolean inHandler;

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
        this.bytes = new BytePath(this);
        this.tls = new ChannelTls(this, this.bytes);
        this.router = new EventRouter(this);
        this.errors = new ErrorRouting(this);
        this.description = new ChannelDescription(this);
        this.diagnostics = new ChannelDiagnostics(this);
        this.modalClose = new ModalClose(this);
    }

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

    /** @return what observers see of the channel: snapshots, asyncore's repr, the state for log lines */
    public ChannelDescription description() {
        return this.description;
    }

    /** @return asyncore's routing of what handlers throw, and the close cause */
    public ErrorRouting errors() {
        return this.errors;
    }

    /** @return the channel's bytes in and out */
    public BytePath bytes() {
        return this.bytes;
    }

    /** @return the channel's TLS: settings, layer and status */
    public ChannelTls tls() {
        return this.tls;
    }

    /** @return the channel's recent transitions */
    public ChannelHistory history() {
        return this.history;
    }

    ChannelDiagnostics diagnostics() {
        return this.diagnostics;
    }

    /** @return closes asked for with a mode (drain, abort) */
    public ModalClose modalClose() {
        return this.modalClose;
    }

    /** @return the channel's idle timeouts */
    public IdleTracker idle() {
        return this.idle;
    }

    /**
     * Joins the context of a map; the loop's executor comes with it.
     * @param context the map's context
     */
    public void attach(ChannelContext context) {
        this.executor = context.executor();
        this.loopStatistics = context.statistics();
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
        LoopStatistics current = this.loopStatistics;
        return (current != null) ? current : context().statistics();
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

    /** @return the channel as the loop drives it (its selection key's attachment); the same object always */
    public LoopChannel loopChannel() {
        return this.router;
    }

    /** Runs the handlers for the ready operations, as the loop would (the TLS layer's redelivery). */
    void dispatch(int readyOps) {
        this.router.dispatch(readyOps);
    }

    /** @return whether one of this channel's event handlers is running now (on the loop thread) */
    public boolean inHandler() {
        return this.inHandler;
    }

    /** Asks the loop to evaluate this channel's {@code readable()}/{@code writable()} again. */
    public void markForEvaluation() {
        context().markForEvaluation(this.router);
    }

    EventRouter router() {
        return this.router;
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
        if (!this.opened) {
            this.opened = true;
            SocketAddress address = this.description.address();
            this.history.record((this.kind == ChannelKind.CLIENT) ? Kind.CONNECTED : Kind.OPENED,
                    (address != null) ? Sockets.format(address) : null);
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

    /**
     * asyncore's {@code close()}: closes the socket and leaves the map, once. Off the loop thread it is
     * handed to the loop (through the facade's {@code close()}, which may be overridden). Any thread.
     */
    public void close() {
        if (this.closed || closeHandedToLoop(this.handler::close)) {
            return;
        }
        this.closed = true;
        this.closing = false;
        CloseReason cause = this.errors.closeCause();
        CloseReason reason = (cause != null) ? cause : CloseReason.APPLICATION;
        this.closeReason = reason;
        this.history.record(Kind.CLOSED, reason);
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
        this.tls.closeOutbound(); // close_notify, if the socket takes it at once
        this.router.cancel();
        Transport current = this.transport;
        if (current != null) {
            current.close();
        }
        if (this.router.registered()) {
            context().releaseClosedChannels(); // the socket closes for real once the selector lets go of it
        }
        if (this.announced) {
            context().listeners().closed(snapshot(), reason);
        }
    }

    /** Closes through the facade's {@code close()}, recording why. Any thread; the first close wins. */
    public void close(CloseReason reason) {
        if (this.closed || closeHandedToLoop(() -> close(reason))) {
            return;
        }
        try {
            this.errors.withCloseCause(reason, this.handler::close);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex); // close() throws none
        }
    }

    /**
     * Off the loop thread, reports the channel closing (so that sends are refused) and hands the close to
     * the loop. A plain task, not a channel task: a close asked for runs whatever socket the channel has.
     * @return whether it was handed over; {@code false} on the loop thread
     */
    private boolean closeHandedToLoop(Runnable close) {
        EventExecutor loop = executor();
        if (loop.inEventLoop()) {
            return false;
        }
        this.closing = true;
        loop.execute(close);
        return true;
    }

    /** Closes the channel because its loop shuts down. */
    public void closeForShutdown() {
        close(CloseReason.SHUTDOWN);
    }

    /** Closes the channel because its loop thread failed. */
    public void closeAfterFailure() {
        close(CloseReason.ERROR);
    }

    /** Reports the channel as closing from now on, so that sends are refused. Any thread. */
    public void markClosing() {
        this.closing = true;
    }

    /** Sends end-of-stream now, as {@link #shutdownOutputNow()}, with an I/O error going to the error routing. */
    public void shutdownOutputRouted() {
        try {
            shutdownOutputNow();
        }
        catch (IOException ex) {
            this.errors.handleErrorEvent(ex);
        }
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
        try {
            sendEndOfStream(stream);
        }
        catch (IOException ex) {
            if (DisconnectErrors.isDisconnect(ex)) {
                this.errors.peerGone();
                return;
            }
            throw ex;
        }
        markForEvaluation();
    }

    /**
     * The one place this side ends its output (a half-close, or a drain): TLS close_notify first when
     * speaking TLS (TLS 1.3 keeps the inbound side open), then the FIN.
     */
    void sendEndOfStream(StreamTransport stream) throws IOException {
        this.outputShutdown = true;
        this.history.record(Kind.OUTPUT_SHUTDOWN, null);
        this.tls.closeOutbound();
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

    /** @return whether the channel is a listener */
    public boolean isListener() {
        return this.accepting;
    }

    /** @return whether the facade queues output a shutdown should drain */
    public boolean hasPendingOutput() {
        return this.handler.hasPendingOutput();
    }

    /** @return the output not written yet, with sends on their way to the loop; any thread */
    public long pendingOutputBytes() {
        return this.bounds.pending();
    }

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
        this.tls.inherit(listener.tls);
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

    /** @return a snapshot for observers */
    public ChannelSnapshot snapshot() {
        return this.description.snapshot();
    }

    /** @return whether the channel is open and below its high water mark; any thread */
    public boolean isWritable() {
        return !this.bounds.unwritable() && !this.closed && !this.closing
                && this.bounds.pending() <= this.settings.writeBufferWaterMark().high();
    }

    /**
     * Starts a closed channel afresh for a new socket: every per-socket field as a new channel has it. The
     * id, name, settings, TLS settings, statistics and a listener's count of open connections carry over.
     */
    void reopen() {
        this.generation++; // before anything else: work handed in for the old socket does nothing now
        this.transport = null;
        this.router.reset();
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
        this.announced = false;
        this.opened = false;
        this.diagnostics.reset();
        this.modalClose.reset();
        this.tls.reset();
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
}
