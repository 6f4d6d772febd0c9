package io.github.asyncore.core;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.asyncore.core.ReconnectStatus.State;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one client dispatcher connected to one remote address: connects it, and when the connect fails or the
 * connection is lost, gives the dispatcher a new socket and connects again after a wait that a
 * {@link ReconnectPolicy} makes grow, as Redis and database client libraries do.
 *
 * <pre>{@code
 * LineClient client = new LineClient(map); // an AsyncChat that pushes its subscriptions in handleConnect()
 * Reconnector reconnector = new Reconnector(client, new InetSocketAddress("10.0.0.7", 7000),
 *         SocketType.STREAM, ReconnectPolicy.DEFAULT);
 * reconnector.start();
 * // ...
 * reconnector.stop(); // no more attempts; client.close() ends the connection too
 * }</pre>
 *
 * <h2>What is reconnected</h2>
 * A connect that fails (refused, timed out, failed at once, or its TLS handshake failed) and a connection that
 * closes for {@link CloseReason#PEER}, {@link CloseReason#ERROR}, {@link CloseReason#IDLE_TIMEOUT},
 * {@link CloseReason#OUTPUT_LIMIT} or {@link CloseReason#OPERATOR} are followed by a new attempt: the n-th wait
 * since the dispatcher was last connected lasts {@link ReconnectPolicy#delay policy.delay(n)}. An operator close
 * (the actuator's {@code DELETE}) reconnects on purpose: an operator who kicks a client connection expects the
 * client library to come back, as Redis clients do after {@code CLIENT KILL}; to end a client for good the
 * application stops its reconnector. Not reconnected: a close by the application's own code
 * ({@link CloseReason#APPLICATION}: {@code close()} or {@code closeWhenDone()} outside the handling of an
 * event), a loop shutdown ({@link CloseReason#SHUTDOWN}; it also cancels an attempt that waits), anything
 * after {@link #stop()}, and, without a policy, anything after the first attempt failed or its connection is
 * gone. While the dispatcher waits for the next attempt it is closed already, so that its {@code close()} does
 * nothing: to end a client for good, call {@link #stop()} (and close the dispatcher, in case it is connected).
 * <p>
 * Each attempt calls {@link Dispatcher#createSocket(ProtocolFamily, SocketType)} and
 * {@link Dispatcher#connect(SocketAddress)} on the same dispatcher, which starts afresh each time (see
 * {@code createSocket}) and keeps its id, name, settings and TLS settings. Its handlers run as for any client:
 * {@link Dispatcher#handleConnect()} on every connect (the place to log in or subscribe again),
 * {@link Dispatcher#handleError(Throwable)} for every failed attempt and {@link Dispatcher#handleClose()}
 * when a connection is lost.
 * <p>
 * Nothing is queued while disconnected: while the dispatcher is closed ({@link State#WAITING}), a send returns
 * 0 and {@link AsyncChat#push(byte[])} {@code false}; while an attempt's connect is pending
 * ({@link State#CONNECTING}), a {@link BufferedDispatcher} queues what it is sent and writes it once
 * connected. Output still queued when a connection is lost is dropped with it; the application decides what
 * to send again, typically in {@code handleConnect()}.
 * <p>
 * The remote address is resolved once, in the constructor (a blocking DNS lookup on the calling thread), so
 * that no attempt blocks the loop on DNS; to follow a name whose address changes, make a new reconnector.
 *
 * <h2>Threads</h2>
 * The constructor, {@link #start()}, {@link #stop()} and {@link #status()} may be called from any thread.
 * Attempts run on the dispatcher's loop thread, and the waits are timers of that loop. The loop must keep
 * running while the dispatcher waits, closed and out of its map: run it with {@link EventLoop#run()} or
 * {@link EventLoop#start()} (as the Spring Boot starter does), not with {@link EventLoop#loop(Duration)},
 * which returns once the map is empty.
 *
 * <h2>Logs</h2>
 * INFO when the dispatcher connects; WARN once when it loses its connection or cannot connect, naming the
 * reason and the first wait; DEBUG for each further failed attempt of the same outage; INFO when it is back,
 * with the outage's length and attempts.
 */
public final class Reconnector {

    private static final Logger logger = LoggerFactory.getLogger(Reconnector.class);

    private final Dispatcher dispatcher;

    private final SocketAddress remote;

    private final ProtocolFamily family;

    private final SocketType type;

    /** {@code null}: connect once, never again. */
    private final ReconnectPolicy policy;

    private final CloseHooks.CloseHook closeHook = this::closed;

    private final ConnectHook connectHook = new ConnectHook() {

        @Override
        public void connected(Dispatcher connected) {
            Reconnector.this.connected();
        }

        @Override
        public void connectFailed(Dispatcher failed, Exception error) {
            Reconnector.this.attemptFailure = describe(error);
        }

    };

    private final Runnable shutdownHook = this::loopShuttingDown;

    private final AtomicBoolean started = new AtomicBoolean();

    /** Set once no attempt may be made any more. Any thread. */
    private volatile boolean stopped;

    /** The next attempt, while waiting; cancelled from any thread by {@link #stop()}. */
    private volatile ScheduledTask timer;

    // ---------------------------------------------------------------- loop thread

    private EventLoop loop;

    private State state = State.STOPPED;

    /** The waits of the current outage so far: the next wait is {@code policy.delay(waits + 1)}. */
    private int waits;

    private int failedAttempts;

    private long connects;

    /** When the current outage began (nano clock); meaningful while {@link #inOutage}. */
    private long outageSinceNanos;

    private boolean inOutage;

    /** Why the attempt running now failed, as its connect hook heard it; {@code null} if it did not. */
    private String attemptFailure;

    private String lastFailure;

    private Instant nextAttempt;

    // ---------------------------------------------------------------- any thread

    /** Written under {@link #statusLock}, so that once stopped no older view replaces it. */
    private volatile ReconnectStatus status;

    private final Object statusLock = new Object();

    /**
     * Prepares to keep the dispatcher connected; {@link #start()} makes the first attempt. Any thread.
     * @param dispatcher a client dispatcher without a socket (new, or closed); it should know its map (see
     *        {@link Dispatcher#Dispatcher(ChannelMap)}), or it joins the current one when first asked
     * @param remote where to connect: an {@link InetSocketAddress} (resolved here, once, if unresolved) or a
     *        {@link UnixDomainSocketAddress}; its type decides the socket's protocol family
     * @param type stream or datagram (not datagram for a Unix-domain address)
     * @param policy how long to wait between attempts, or {@code null} to connect once and never again
     * @throws IllegalArgumentException when the address cannot be resolved or is of another kind, or names a
     *         Unix-domain datagram socket
     */
    public Reconnector(Dispatcher dispatcher, SocketAddress remote, SocketType type, ReconnectPolicy policy) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.type = Objects.requireNonNull(type, "type");
        this.remote = resolve(Objects.requireNonNull(remote, "remote"));
        this.family = familyOf(this.remote);
        if (this.family == StandardProtocolFamily.UNIX && type == SocketType.DATAGRAM) {
            throw new IllegalArgumentException("JDK NIO has no Unix-domain datagram sockets: " + remote);
        }
        this.policy = policy;
        this.status = new ReconnectStatus(State.STOPPED, this.remote, 0, 0, null, null);
    }

    /**
     * Makes the first attempt, on the dispatcher's loop thread (once a thread runs the loop, if none does
     * yet); from then on, reconnects as the class description says. Once only. Any thread.
     * @throws IllegalStateException when already started, or when the dispatcher has an open socket
     */
    public void start() {
        if (this.started.get()) {
            throw new IllegalStateException(this + " was started already");
        }
        if (this.dispatcher.hasSocket()) {
            throw new IllegalStateException(this.dispatcher + " has an open socket: a Reconnector connects a new or"
                    + " closed dispatcher");
        }
        if (!this.started.compareAndSet(false, true)) {
            throw new IllegalStateException(this + " was started already");
        }
        synchronized (this.statusLock) {
            this.status = new ReconnectStatus(State.CONNECTING, this.remote, 0, 0, null, null);
        }
        this.dispatcher.executor().execute(this::begin);
    }

    /**
     * Makes no further attempt: cancels the one that waits, if any. The dispatcher is not closed: a connection
     * open now stays open (close the dispatcher to end it), and a connect running now may still complete.
     * Harmless when stopped already. Any thread.
     */
    public void stop() {
        this.stopped = true;
        ScheduledTask pending = this.timer;
        if (pending != null) {
            pending.cancel();
        }
        synchronized (this.statusLock) {
            ReconnectStatus current = this.status;
            this.status = new ReconnectStatus(State.STOPPED, this.remote, current.failedAttempts(),
                    current.connects(), null, current.lastFailure());
        }
        EventExecutor executor = this.dispatcher.executor();
        if (executor.inEventLoop()) {
            detach();
        }
        else {
            executor.execute(this::detach);
        }
    }

    /** @return what the reconnector is doing now; any thread */
    public ReconnectStatus status() {
        return this.status;
    }

    @Override
    public String toString() {
        return "Reconnector[" + this.dispatcher.getName() + " to " + Dispatcher.format(this.remote) + ", "
                + this.status.state() + "]";
    }

    // ---------------------------------------------------------------- the state machine (loop thread)

    private void begin() {
        if (this.stopped) {
            return;
        }
        try {
            this.dispatcher.handler().reconnection().hook(this.dispatcher, this.connectHook);
        }
        catch (IllegalStateException ex) {
            logger.error("{}: cannot keep {} connected: {}", this, this.dispatcher, ex.getMessage());
            this.stopped = true;
            detach();
            return;
        }
        this.dispatcher.handler().closeHooks().add(this.closeHook);
        this.loop = this.dispatcher.map().eventLoop();
        this.loop.shutdownHooks().add(this.shutdownHook);
        attempt();
    }

    private void attempt() {
        this.timer = null;
        if (this.stopped) {
            return;
        }
        if (this.dispatcher.hasSocket()) { // the application gave it a socket itself meanwhile
            logger.debug("{}: {} has a socket again; following it instead of connecting", this, this.dispatcher);
            this.state = this.dispatcher.isConnected() ? State.CONNECTED : State.CONNECTING;
            publish();
            return;
        }
        this.attemptFailure = null;
        this.nextAttempt = null;
        this.state = State.CONNECTING;
        publish();
        try {
            this.dispatcher.createSocket(this.family, this.type);
            this.dispatcher.connect(this.remote);
        }
        catch (IOException | RuntimeException ex) {
            if (this.attemptFailure == null) {
                this.attemptFailure = describe(ex);
            }
            if (this.dispatcher.hasSocket()) {
                this.dispatcher.close(CloseReason.ERROR); // heard by the close hook
            }
            else if (this.state == State.CONNECTING && !this.stopped) {
                failed(null); // no socket was made (or connect closed it without our hook hearing): no close to hear
            }
        }
    }

    private void connected() {
        if (this.stopped) {
            return;
        }
        this.connects++;
        String where = Dispatcher.format(this.remote);
        if (!this.inOutage) {
            logger.info("{} connected to {}", this.dispatcher.getName(), where);
        }
        else {
            long outageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.outageSinceNanos);
            logger.info("{} {} {} after {} ms and {} attempts", this.dispatcher.getName(),
                    (this.connects == 1) ? "connected to" : "reconnected to", where, outageMillis,
                    this.failedAttempts + 1);
        }
        this.inOutage = false;
        this.waits = 0;
        this.failedAttempts = 0;
        this.nextAttempt = null;
        this.state = State.CONNECTED;
        publish();
    }

    /** The dispatcher closed: a connect failed, or a connection ended. Inside its close(). */
    private void closed(Dispatcher closed) {
        if (this.stopped) {
            return;
        }
        CloseReason reason = closed.getCloseReason();
        if (reason == CloseReason.APPLICATION || reason == CloseReason.SHUTDOWN) {
            logger.info("{}: its connection to {} was closed ({}); not reconnecting", this.dispatcher.getName(),
                    Dispatcher.format(this.remote), reason);
            this.stopped = true;
            detach();
            return;
        }
        failed(reason);
    }

    /**
     * An attempt failed, or a connection was lost: wait, then try again (or stop, without a policy).
     * @param reason why the dispatcher closed, or {@code null} when no socket was made
     */
    private void failed(CloseReason reason) {
        boolean lost = this.state == State.CONNECTED;
        if (lost) {
            this.lastFailure = "connection closed (" + reason + ")";
        }
        else {
            this.failedAttempts++;
            this.lastFailure = (this.attemptFailure != null) ? this.attemptFailure
                    : "closed (" + reason + ") before the connect completed";
        }
        String name = this.dispatcher.getName();
        String where = Dispatcher.format(this.remote);
        String why = lost ? String.valueOf(reason) : this.lastFailure;
        if (this.policy == null) {
            logger.warn("{} {} {} ({}); not reconnecting: it has no reconnect policy", name,
                    lost ? "lost its connection to" : "could not connect to", where, why);
            this.stopped = true;
            detach();
            return;
        }
        this.waits++;
        Duration delay = this.policy.delay(this.waits, ThreadLocalRandom.current());
        if (!this.inOutage) {
            this.inOutage = true;
            this.outageSinceNanos = System.nanoTime();
            logger.warn("{} {} {} ({}); {} in {} ms", name, lost ? "lost its connection to" : "could not connect to",
                    where, why, lost ? "reconnecting" : "retrying", delay.toMillis());
        }
        else {
            logger.debug("{}: attempt {} to connect to {} failed ({}); retrying in {} ms", name, this.failedAttempts,
                    where, why, delay.toMillis());
        }
        this.nextAttempt = Instant.now().plus(delay);
        this.state = State.WAITING;
        this.timer = this.dispatcher.executor().schedule(delay, this::attempt);
        publish();
    }

    private void loopShuttingDown() {
        if (this.stopped) {
            return;
        }
        logger.info("{}: its loop {} shuts down; not reconnecting to {}", this.dispatcher.getName(),
                this.loop.name(), Dispatcher.format(this.remote));
        this.stopped = true;
        detach();
    }

    /** Lets go of the dispatcher and its loop for good. */
    private void detach() {
        ScheduledTask pending = this.timer;
        if (pending != null) {
            pending.cancel();
            this.timer = null;
        }
        this.dispatcher.handler().closeHooks().remove(this.closeHook);
        try {
            this.dispatcher.handler().reconnection().hook(this.dispatcher, null);
        }
        catch (IllegalStateException ex) {
            // not ours: begin() found another reconnector's hook there
        }
        if (this.loop != null) {
            this.loop.shutdownHooks().remove(this.shutdownHook);
        }
        this.nextAttempt = null;
        this.state = State.STOPPED;
        publish();
    }

    /** Publishes the loop's view for {@link #status()}; once stopped, always as {@link State#STOPPED}. */
    private void publish() {
        synchronized (this.statusLock) {
            State shown = this.stopped ? State.STOPPED : this.state;
            this.status = new ReconnectStatus(shown, this.remote, this.failedAttempts, this.connects,
                    (shown == State.WAITING) ? this.nextAttempt : null, this.lastFailure);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static SocketAddress resolve(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.isUnresolved()) {
            InetSocketAddress resolved = new InetSocketAddress(inet.getHostString(), inet.getPort());
            if (resolved.isUnresolved()) {
                throw new IllegalArgumentException("cannot resolve " + inet.getHostString());
            }
            return resolved;
        }
        return remote;
    }

    private static ProtocolFamily familyOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return (inet.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET;
        }
        if (remote instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        throw new IllegalArgumentException("a Reconnector connects to an InetSocketAddress or a"
                + " UnixDomainSocketAddress, not a " + remote.getClass().getName());
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        String type = error.getClass().getSimpleName();
        return (message != null) ? type + ": " + message : type;
    }

}
