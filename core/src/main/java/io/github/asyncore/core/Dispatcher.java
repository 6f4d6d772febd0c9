package io.github.asyncore.core;

import java.io.IOException;
import java.net.BindException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

import javax.net.ssl.SSLSession;

import io.github.asyncore.core.internal.channel.ChannelContext;
import io.github.asyncore.core.internal.channel.ChannelCore;
import io.github.asyncore.core.internal.channel.ChannelHandler;
import io.github.asyncore.core.internal.tls.TlsLayer;
import io.github.asyncore.core.internal.transport.Sockets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * asyncore's {@code dispatcher}: one non-blocking socket and the handlers its events call. Subclass it,
 * answer {@link #readable()} and {@link #writable()}, override the {@code handle...} methods you need,
 * and let the {@link EventLoop} of its {@link ChannelMap} call them.
 *
 * <pre>{@code
 * class EchoServer extends Dispatcher {
 *     EchoServer(int port) throws IOException {
 *         createSocket();
 *         setReuseAddr();
 *         bind(new InetSocketAddress("127.0.0.1", port));
 *         listen(128);
 *     }
 *
 *     public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
 *         new EchoHandler(channel); // joins this loop's map
 *     }
 * }
 * }</pre>
 *
 * <h2>Events</h2>
 * As in asyncore, some events are implied: the first read or write event on a connecting socket
 * completes the connect and calls {@link #handleConnect()} before {@link #handleRead()} or
 * {@link #handleWrite()} (also when the connect finished at once, as Unix-domain sockets do, so that a
 * constructor may call {@link #connect(SocketAddress)} safely); a failed connect reaches
 * {@link #handleError(Throwable)}; a read that finds end-of-stream calls {@link #handleEndOfStream()},
 * which by default calls {@link #handleClose()} (override it to answer a peer that half-closed); a read
 * event on a listener calls {@link #handleAccept()}. This side half-closes with {@link #shutdownOutput()}.
 * Disconnect errors (connection reset, broken pipe, not connected, aborted) become {@link #handleClose()};
 * any other exception from a handler becomes {@link #handleError(Throwable)}. Nothing a handler throws
 * stops the loop or touches another channel. Each close records a {@link CloseReason}. There is no
 * {@code handle_expt}: JDK NIO cannot wait for urgent (out-of-band) data.
 *
 * <h2>TLS</h2>
 * A stream channel given {@link TlsSettings} with {@link #setTls(TlsSettings)} (a listener hands them to
 * the connections it accepts) speaks TLS through the JDK's {@link javax.net.ssl.SSLEngine}; the handlers
 * above do not change: they read and send plaintext, and {@link #readable()} and {@link #writable()}
 * mean what they meant. {@link #getTlsStatus()} tells observers the negotiated protocol and cipher suite.
 * Unless the settings name their own, both sides offer the protocols and suites of {@link TlsProfile}.
 *
 * <h2>Threads</h2>
 * Every handler runs on the loop thread of the dispatcher's map. Socket operations ({@code createSocket},
 * {@code bind}, {@code listen}, {@code connect}, {@code accept}, {@code send}, {@code recv} and the
 * datagram ones) must run there too, or before the loop runs, and fail with an
 * {@link IllegalStateException} elsewhere. {@link #close()}, {@link #close(CloseReason)} and
 * {@link #shutdownOutput()} are safe from any thread: they are handed to the loop. The getters,
 * {@link #isWritable()} and {@link #toString()} may be called from any thread. Registered
 * {@link ChannelListener}s are told on the loop thread when the channel opens, idles and closes. To do
 * anything else from another thread, hand it over with {@code executor().execute(...)}.
 *
 * <h2>Structure</h2>
 * This class is the facade: asyncore's operations delegate to a per-channel core in an internal package
 * (not API), which owns the socket, the event routing and the close; see {@code docs/architecture.md}.
 */
public class Dispatcher {

    private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

    private static final byte[] EMPTY = new byte[0];

    private final ChannelCore core;

    /** Given to the constructor, or resolved from {@link ChannelMap#current()} on first use. */
    private ChannelMap map;

    /** Told when the channel closes (the {@link ChannelGroup}s it is in, a {@link Reconnector}). */
    private final CloseHooks closeHooks = new CloseHooks();

    /** The connect hook of a {@link Reconnector} that keeps this dispatcher connected. */
    private final Reconnection reconnection = new Reconnection();

    /**
     * Creates a dispatcher without a socket for the {@linkplain ChannelMap#current() current} map, which
     * is looked up when the socket is created (or the dispatcher first needs its loop): a dispatcher made
     * on one thread, such as a Spring bean, joins the loop on whose thread its socket is opened.
     */
    public Dispatcher() {
        this.core = new ChannelCore(new Handler(), defaultName(getClass()));
    }

    /**
     * Creates a dispatcher without a socket (asyncore's {@code dispatcher(map=map)}); it joins the map
     * when {@link #createSocket} or {@link #setSocket} gives it one.
     * @param map the map to join
     */
    public Dispatcher(ChannelMap map) {
        this();
        useMap(Objects.requireNonNull(map, "map"));
    }

    /**
     * Adopts an open channel, typically one passed to {@link #handleAccepted}, into the
     * {@linkplain ChannelMap#current() current} map (on a loop thread: that loop's map).
     * @param channel a socket, server socket or datagram channel
     * @throws IOException when the channel cannot be made non-blocking
     */
    public Dispatcher(SelectableChannel channel) throws IOException {
        this();
        setSocket(channel);
    }

    /**
     * Adopts an open channel into the given map, as asyncore's {@code dispatcher(sock, map)}.
     * @param channel a socket, server socket or datagram channel
     * @param map the map to join
     * @throws IOException when the channel cannot be made non-blocking
     */
    public Dispatcher(SelectableChannel channel, ChannelMap map) throws IOException {
        this(map);
        setSocket(channel);
    }

    // ---------------------------------------------------------------- socket operations (loop thread)

    /**
     * Creates an IPv4 stream socket, as asyncore's {@code create_socket()}; a closed dispatcher may do so
     * again (see {@link #createSocket(ProtocolFamily, SocketType)}).
     * @throws IOException when the socket cannot be opened
     */
    public void createSocket() throws IOException {
        createSocket(StandardProtocolFamily.INET, SocketType.STREAM);
    }

    /**
     * Creates a socket and joins the map. A datagram socket is opened now; a stream socket is opened by
     * {@link #listen(int)} (as a server socket) or {@link #connect(SocketAddress)}, because the JDK has
     * separate channel types for the two.
     * <p>
     * As asyncore, a closed dispatcher may create a socket again: a client reconnects by calling
     * {@code createSocket} and {@link #connect(SocketAddress)} once more on the same object (a
     * {@link Reconnector} does it for you). It then starts afresh, as if just constructed (open, not
     * connected, nothing read or ended, no TLS session, no bind address or {@code SO_REUSEADDR} until asked
     * again; a {@link BufferedDispatcher} has no output or partial frame left), and work other threads
     * handed in for the old socket is dropped. It keeps its {@link #id()}, name, settings, TLS settings and
     * cumulative byte counts; a {@link ChannelListener} hears it open and close once more. Call it after the
     * close has returned, not inside {@link #handleClose()} or {@link #handleError(Throwable)} (whose
     * callers close once more when they return): hand it to the loop instead.
     * @param family {@link StandardProtocolFamily#INET}, {@code INET6} or {@code UNIX} (stream only)
     * @param type stream or datagram
     * @throws IOException when the socket cannot be opened (a closed dispatcher then stays closed)
     * @throws IllegalStateException when the dispatcher has a socket that is not closed
     * @throws UnsupportedOperationException for Unix-domain datagram sockets, which the JDK lacks
     */
    public void createSocket(ProtocolFamily family, SocketType type) throws IOException {
        this.core.checkInEventLoop("createSocket");
        this.core.setup().createSocket(Objects.requireNonNull(family, "family"), Objects.requireNonNull(type, "type"));
    }

    /**
     * Adopts an open channel and joins the map, as asyncore's {@code set_socket}. A connected socket
     * channel is a {@link ChannelKind#CONNECTION}; when it was just accepted by a listener on this
     * thread, the dispatcher inherits that listener's settings and name. A closed dispatcher may adopt a
     * channel again, starting afresh as {@link #createSocket(ProtocolFamily, SocketType)} describes.
     * @param channel a socket, server socket or datagram channel
     * @throws IOException when the channel cannot be made non-blocking
     * @throws IllegalStateException when the dispatcher has a socket that is not closed
     */
    public void setSocket(SelectableChannel channel) throws IOException {
        this.core.checkInEventLoop("setSocket");
        this.core.setup().setSocket(Objects.requireNonNull(channel, "channel"));
    }

    /**
     * Asks for {@code SO_REUSEADDR}, as asyncore's {@code set_reuse_addr()}, so that a restarted server can
     * bind a port whose old connections linger in TIME_WAIT. Ignored for Unix-domain sockets.
     * @throws IOException when the option cannot be set
     */
    public void setReuseAddr() throws IOException {
        this.core.checkInEventLoop("setReuseAddr");
        this.core.setup().setReuseAddr();
    }

    /**
     * Binds the socket to a local address. A datagram socket binds now. A stream socket binds when it
     * listens or connects, because the JDK binds and listens a server socket in one call: a port in use
     * is then reported by {@link #listen(int)}, naming the address.
     * @param address the local address
     * @throws BindException when a datagram socket's address is in use or not available
     * @throws IOException on other socket errors
     */
    public void bind(SocketAddress address) throws IOException {
        this.core.checkInEventLoop("bind");
        this.core.setup().bind(address);
    }

    /**
     * Starts accepting connections on the bound address (any free port on the wildcard address when
     * {@link #bind} was not called), as asyncore's {@code listen(num)}. Accepted connections arrive in
     * {@link #handleAccept()}.
     * @param backlog the length of the queue of connections not yet accepted
     * @throws BindException naming the address when it is in use or not available
     * @throws IOException on other socket errors
     */
    public void listen(int backlog) throws IOException {
        this.core.checkInEventLoop("listen");
        this.core.setup().listen(backlog);
    }

    /**
     * Starts connecting, without waiting, as asyncore's {@code connect(address)}. The connect completes
     * through the loop: the first read or write event calls {@link #handleConnect()}; a refused or
     * timed-out connect ({@link ChannelSettings#connectTimeout()}) reaches {@link #handleError(Throwable)},
     * after which the channel is closed even if {@code handleError} did not close it: the attempt is over.
     * For a datagram socket this fixes the peer for {@link #send} and {@link #recv}.
     * @param address the peer's address
     * @throws IOException when the connect fails at once (the dispatcher is then closed, with
     *         {@link CloseReason#ERROR})
     */
    public void connect(SocketAddress address) throws IOException {
        this.core.checkInEventLoop("connect");
        this.core.setup().connect(Objects.requireNonNull(address, "address"));
    }

    /**
     * Accepts one pending connection, as asyncore's {@code accept()}. The new channel is non-blocking (and
     * has {@code TCP_NODELAY} set); adopt it with a dispatcher or close it.
     * @return the new connection, or {@code null} when none is pending (a spurious wake-up, or a client
     *         that gave up)
     * @throws IOException on socket errors other than a connection aborted before it was accepted
     */
    public SocketChannel accept() throws IOException {
        this.core.checkInEventLoop("accept");
        return this.core.acceptGate().accept();
    }

    /**
     * Writes what the socket takes now from the buffer, as asyncore's {@code send(data)}: the buffer's
     * position advances past what was written. A disconnect error calls {@link #handleClose()} and
     * returns 0. {@link BufferedDispatcher} queues instead and may be called from any thread.
     * @param data the bytes to send
     * @return how many bytes were written, 0 when the socket buffer is full
     * @throws IOException on socket errors other than disconnects
     */
    public int send(ByteBuffer data) throws IOException {
        this.core.checkInEventLoop("send");
        return this.core.bytes().write(data);
    }

    /**
     * Sends the bytes, as {@link #send(ByteBuffer)}.
     * @param data the bytes to send
     * @return how many bytes were written (for {@link BufferedDispatcher}: accepted)
     * @throws IOException on socket errors other than disconnects
     */
    public int send(byte[] data) throws IOException {
        return send(ByteBuffer.wrap(data));
    }

    /**
     * Reads what the socket has into the buffer, as asyncore's {@code recv}. End-of-stream or a
     * disconnect error calls {@link #handleClose()} (end-of-stream: {@link #handleEndOfStream()}) and
     * returns -1.
     * @param buffer where to put the bytes
     * @return how many bytes were read, 0 when none were waiting, -1 when the peer is gone
     * @throws IOException on socket errors other than disconnects
     */
    public int recv(ByteBuffer buffer) throws IOException {
        this.core.checkInEventLoop("recv");
        return this.core.bytes().read(buffer);
    }

    /**
     * Reads up to {@code maxBytes} into a new array, as asyncore's {@code recv(buffer_size)}.
     * End-of-stream or a disconnect error calls {@link #handleClose()} and returns an empty array.
     * @param maxBytes the most bytes to read
     * @return the bytes read; empty when none were waiting or the peer is gone ({@link #isClosed()})
     * @throws IOException on socket errors other than disconnects
     */
    public byte[] recv(int maxBytes) throws IOException {
        this.core.checkInEventLoop("recv");
        ByteBuffer buffer = this.core.context().buffers().readBuffer(maxBytes);
        buffer.limit(maxBytes);
        int read = this.core.bytes().read(buffer);
        if (read <= 0) {
            return EMPTY;
        }
        byte[] data = new byte[read];
        buffer.get(0, data);
        return data;
    }

    /**
     * Reads what the socket has, up to {@link ChannelSettings#receiveBufferSize()}, into a buffer the loop
     * lends: the allocation-free {@code recv}. End-of-stream or a disconnect error calls
     * {@link #handleEndOfStream()} or {@link #handleClose()} and returns an empty buffer.
     * <p>
     * The buffer is shared by every channel of the loop: read it (or {@link BufferedDispatcher#send} it)
     * before the handler returns, and keep no reference to it.
     * @return the bytes read, from position to limit; empty when none were waiting or the peer is gone
     * @throws IOException on socket errors other than disconnects
     */
    public ByteBuffer recv() throws IOException {
        this.core.checkInEventLoop("recv");
        int size = this.core.settings().receiveBufferSize();
        ByteBuffer buffer = this.core.context().buffers().readBuffer(size);
        buffer.limit(size);
        this.core.bytes().read(buffer);
        return buffer.flip();
    }

    /**
     * Sends one datagram to the given address (UDP's {@code sendto}).
     * @param data the datagram; sent whole or not at all
     * @param target where to send it
     * @return the bytes sent: the whole datagram, or 0 when the socket buffer had no room
     * @throws IOException on socket errors
     */
    public int sendTo(ByteBuffer data, SocketAddress target) throws IOException {
        this.core.checkInEventLoop("sendTo");
        int sent = this.core.setup().datagram().send(data, target);
        if (sent > 0) {
            this.core.bytes().countWritten(sent);
        }
        return sent;
    }

    /**
     * Receives one datagram (UDP's {@code recvfrom}). A datagram longer than the buffer's room is cut to
     * fit, as the JDK does.
     * @param buffer where to put the datagram
     * @return the sender's address, or {@code null} when no datagram was waiting
     * @throws IOException on socket errors
     */
    public SocketAddress receiveFrom(ByteBuffer buffer) throws IOException {
        this.core.checkInEventLoop("receiveFrom");
        int before = buffer.position();
        SocketAddress sender = this.core.setup().datagram().receive(buffer);
        if (sender != null) {
            this.core.bytes().countRead(buffer.position() - before);
        }
        return sender;
    }

    /**
     * Closes the socket and leaves the map, as asyncore's {@code close()}. Idempotent. Safe from any thread:
     * from another thread while the loop runs, the close is handed to the loop (the channel reports
     * {@link ChannelState#CLOSING} until then). Unlike an event, it does not call {@link #handleClose()}. A
     * Unix-domain listener's socket file is deleted.
     * <p>
     * The {@linkplain #getCloseReason() reason} recorded is that of the event being handled (see
     * {@link CloseReason}), else {@link CloseReason#APPLICATION}; {@link #close(CloseReason)} names another.
     * Override it to release resources of your own, and call {@code super.close()}. Nothing reopens a closed
     * dispatcher by itself, unless a {@link Reconnector} keeps it connected (not after a close from the
     * application or a loop shutdown); stop the reconnector ({@link Reconnector#stop()}) to end a client for
     * good.
     */
    public void close() {
        this.core.close();
    }

    /**
     * Closes the channel as {@link #close()} does, recording why: for code that closes channels on
     * someone else's behalf, such as the actuator endpoint ({@link CloseReason#OPERATOR}) or a loop
     * shutting down. {@link #close()} (overridden or not) does the closing. Any thread, as
     * {@code close()}; the first close wins, and a later call does nothing.
     * @param reason why the channel is being closed
     */
    public final void close(CloseReason reason) {
        this.core.close(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Half-closes the connection: the peer reads end-of-stream (a TCP FIN) while this channel goes on
     * reading, as a socket's {@code shutdown(SHUT_WR)}. From then on the loop no longer waits for this
     * channel to be writable, whatever {@link #writable()} says, and the channel stays open until it is
     * closed (by the peer's end-of-stream, by default, or by {@link #close()}).
     * <p>
     * A plain dispatcher sends the end-of-stream at once; {@link BufferedDispatcher} (and {@link AsyncChat})
     * send it once everything queued before the call has been written, and drop what is sent after it. Any
     * thread: from another thread it is handed to the loop, in order with that thread's sends. Does nothing
     * once output is shut down or the channel closed. An I/O error reaches {@link #handleError(Throwable)}
     * (a disconnect: {@link #handleClose()}).
     * @throws IllegalStateException (on the loop thread) when the channel is not a stream connection or
     *         client; a {@link BufferedDispatcher} accepts a client still connecting
     */
    public void shutdownOutput() {
        if (this.core.handedToLoop(this::shutdownOutput)) {
            return;
        }
        try {
            this.core.shutdownOutputNow();
        }
        catch (IOException ex) {
            this.core.handleErrorEvent(ex);
        }
    }

    // ---------------------------------------------------------------- hooks users override (loop thread)

    /**
     * Asked on every loop iteration: whether to wait for input (or, on a listener, for connections).
     * asyncore's default: {@code true}.
     * @return whether the loop should call {@link #handleRead()} when input arrives
     */
    public boolean readable() {
        return true;
    }

    /**
     * Asked on every loop iteration: whether to wait until the socket can take output. Never asked of
     * the outcome for listeners. asyncore's default: {@code true}.
     * @return whether the loop should call {@link #handleWrite()} when the socket is writable
     */
    public boolean writable() {
        return true;
    }

    /**
     * Called when input is waiting; read it with {@link #recv}. The default logs a warning, as asyncore's
     * "unhandled read event".
     * @throws IOException from socket operations; reaches {@link #handleError(Throwable)} or
     *         {@link #handleClose()}
     */
    public void handleRead() throws IOException {
        logger.warn("{}: unhandled read event", this);
    }

    /**
     * Called when the socket can take output; write with {@link #send}. The default logs a warning.
     * @throws IOException from socket operations
     */
    public void handleWrite() throws IOException {
        logger.warn("{}: unhandled write event", this);
    }

    /**
     * Called once when a connect completes, before the first {@link #handleRead()} or
     * {@link #handleWrite()}. {@link #isConnected()} is already true here. The default does nothing
     * but log at debug level.
     * @throws IOException from socket operations
     */
    public void handleConnect() throws IOException {
        logger.debug("{}: unhandled connect event", this);
    }

    /**
     * Called on a listener when a connection is waiting. The default accepts one with {@link #accept()}
     * and passes it to {@link #handleAccepted}; at the {@code max-connections} limit of its settings it
     * refuses (closes) the connection instead, logs that at most every 10 s and counts it. When the map
     * belongs to an {@link EventLoopGroup} of several loops, the connection goes round-robin to the group's
     * loops and {@code handleAccepted} runs on the thread of the loop that will serve it, so that the
     * dispatcher it creates joins that loop. If {@code handleAccepted} throws, the default closes that
     * connection, logs the reason and counts a rejected connection, and the listener goes on accepting (asyncore
     * would close the listener).
     * @throws IOException from {@link #accept()}
     */
    public void handleAccept() throws IOException {
        SocketChannel socket = accept();
        if (socket != null) {
            this.core.acceptGate().admit(socket, map().connectionMap().context());
        }
    }

    /**
     * Called with each accepted connection; adopt it with a dispatcher (which then inherits this
     * listener's settings) or close it. The default closes it and logs a warning, as asyncore does.
     * @param channel the new non-blocking connection
     * @param address the peer's address
     * @throws IOException from socket operations
     */
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        logger.warn("{}: unhandled accepted event from {}; closing it", this, format(address));
        channel.close();
    }

    /**
     * Called when the peer has closed its side of a stream (a read found end-of-stream): it will send
     * nothing more, but it may still read, if it only half-closed. The channel no longer waits for input
     * ({@link #isInputEnded()} is {@code true}). The default calls {@link #handleClose()}, as asyncore does;
     * {@link BufferedDispatcher} first writes what it still owes the peer.
     * <p>
     * Override it to go on writing: answer a peer that half-closed after its request, then close when
     * done ({@link BufferedDispatcher#closeWhenDone()}), or {@link #shutdownOutput()} and let the peer
     * close. The channel stays open as long as the override does not close it; its write path, timers and
     * idle timeouts work as before (a read idle timeout will fire, as nothing more is read). A close made
     * in this method reports {@link CloseReason#PEER}; a later one, {@link CloseReason#APPLICATION}.
     * @throws IOException from socket operations
     */
    public void handleEndOfStream() throws IOException {
        handleClose();
    }

    /**
     * Called when the channel ends: the peer closed it or went away, or an error, an idle timeout or a
     * close-when-done ended it. Override it to clean up; call {@link #close()} in it (the default logs at
     * debug level and closes).
     * @throws IOException from socket operations
     */
    public void handleClose() throws IOException {
        logger.debug("{}: unhandled close event; closing", this);
        close();
    }

    /**
     * Called with an exception a handler threw (other than a disconnect) or a failed or timed-out
     * connect. The default logs the channel and the exception (without a stack trace for I/O errors),
     * calls {@link #handleClose()} as asyncore does, and closes the channel if that did not. Failed TLS
     * handshakes, which any peer can cause at will, are logged at most once every 10 s per loop with the
     * number of those not logged since (the first one at once); the loop counts each one. A failed connect of
     * a dispatcher that a {@link Reconnector} keeps connected is logged at debug level only: the reconnector
     * reports the outage once.
     * @param error what went wrong
     */
    public void handleError(Throwable error) {
        if (error instanceof IOException) {
            TlsLayer layer = this.core.tls().layer();
            if (this.core.isConnecting() && this.reconnection.watched()) {
                logger.debug("{}: {}; closing", this, error.toString());
            }
            else if (layer == null || !layer.logHandshakeFailure(logger, error)) {
                logger.warn("{}: {}; closing", this, error.toString());
            }
        }
        else {
            logger.error("{}: uncaught exception in a handler; closing", this, error);
        }
        try {
            handleClose();
        }
        catch (IOException ex) {
            logger.debug("{}: handleClose failed after an error", this, ex);
        }
        close();
    }

    /**
     * Called when an idle timeout of {@link #getSettings()} fires: nothing was read, written, or either,
     * for that long. It fires again after another such period if the channel stays open. Reading counts
     * only when bytes are read, so a channel whose reading is paused by its water marks can become
     * reader-idle while its peer waits to send. The default logs at info level, calls
     * {@link #handleClose()} and closes the channel if that did not.
     * @param state which timeout fired
     * @throws IOException from socket operations
     */
    public void handleIdle(IdleState state) throws IOException {
        logger.info("{}: {} for {} ms ({}); closing", this, state, this.core.idleTimeout(state).toMillis(),
                this.core.ioState());
        handleClose();
        close();
    }

    /**
     * Called when {@link #isWritable()} changes: the channel's pending output rose above the high water
     * mark, or drained to the low mark (Netty's {@code channelWritabilityChanged}). It runs after the handler
     * or task that made the change returns, so ask {@link #isWritable()} for the state now. Override it to
     * stop and resume a producer of your own; the default does nothing.
     * @throws IOException from socket operations
     */
    public void handleWritabilityChanged() throws IOException {
    }

    // ---------------------------------------------------------------- state (any thread)

    /** @return the channel id, unique in the process and never reused */
    public final long id() {
        return this.core.id();
    }

    /** @return the name observers show; the simple class name unless set (or inherited from a listener) */
    public final String getName() {
        return this.core.name();
    }

    /**
     * Names the dispatcher for observers and logs. Its traffic counts under the name too
     * ({@link ChannelMap#traffic()}, the starter's meters), from the next event on; a listener's connections
     * count under their listener's name. So name dispatchers per role, never per connection or address. Any
     * thread.
     * @param name the new name
     */
    public final void setName(String name) {
        this.core.name(Objects.requireNonNull(name, "name"));
    }

    /**
     * @return the map this dispatcher joins; for a dispatcher made without one, the current map when this
     *         is first asked (see {@link #Dispatcher()})
     */
    public final ChannelMap map() {
        ChannelMap current = this.map;
        if (current == null) {
            current = ChannelMap.current();
            useMap(current);
        }
        return current;
    }

    /** @return the loop's executor, to hand work to the loop thread or to set timers */
    public final EventExecutor executor() {
        return this.core.executor();
    }

    /** @return the timeouts and limits in force */
    public final ChannelSettings getSettings() {
        return this.core.settings();
    }

    /**
     * Sets the timeouts and limits; idle timers restart with the new values. Loop thread (or before the
     * loop runs).
     * @param settings the new settings
     */
    public void setSettings(ChannelSettings settings) {
        this.core.checkInEventLoop("setSettings");
        this.core.settings(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Makes the channel speak TLS (see {@link TlsSettings}); {@code null} makes a listener's future
     * connections plain again. Loop thread (or before the loop runs). On a listener, any time: the
     * connections it accepts from then on inherit the settings (a renewed certificate applies to new
     * connections). On a client, before {@link #connect(SocketAddress)}: once TCP connects the handshake runs,
     * and {@link #handleConnect()} is called when it has finished, so that the first {@code send} travels
     * encrypted. On a connection adopted with {@link #setSocket}, the handshake starts at once.
     * <p>
     * Handlers do not change (plaintext in {@link #recv} and {@link #send}); the layer does the handshake and
     * the ciphertext. A handshake that fails or times out reaches {@link #handleError(Throwable)} with an
     * {@link javax.net.ssl.SSLException}, after which the channel is closed; a peer that closes the
     * connection during the handshake reaches {@link #handleClose()}. A TLS 1.2 renegotiation is refused
     * the same way as a failed handshake. {@link #close()} sends close_notify if the socket takes it at
     * once (it never waits).
     * @param tls the settings, or {@code null} for none
     * @throws IllegalStateException on a datagram socket (DTLS is not supported), or when the channel
     *         already speaks TLS on a connection
     */
    public void setTls(TlsSettings tls) {
        this.core.checkInEventLoop("setTls");
        this.core.tls().settings(tls);
    }

    /** @return the TLS settings in force (for a listener: those its connections inherit), or {@code null} */
    public final TlsSettings getTls() {
        return this.core.tls().settings();
    }

    /** @return whether the channel speaks TLS (for a listener: whether its connections will); any thread */
    public final boolean isTls() {
        return this.core.tls().status() != null;
    }

    /**
     * @return the channel's TLS state (negotiated protocol and cipher suite once the handshake has
     *         finished), or {@code null} for a plain channel; any thread
     */
    public final TlsStatus getTlsStatus() {
        return this.core.tls().status();
    }

    /**
     * The TLS session of a connection, for example to read the peer's certificates
     * ({@link SSLSession#getPeerCertificates()}) in {@link #handleConnect()} or a handler. Loop thread.
     * @return the session once the handshake has finished, else {@code null}
     */
    public final SSLSession getSslSession() {
        this.core.checkInEventLoop("getSslSession");
        TlsLayer layer = this.core.tls().layer();
        return (layer != null && layer.isEstablished()) ? layer.session() : null;
    }

    /** @return whether the socket is connected and {@link #handleConnect()} has run (asyncore's {@code connected}) */
    public final boolean isConnected() {
        return this.core.isConnected();
    }

    /** @return whether the socket is listening (asyncore's {@code accepting}) */
    public final boolean isAccepting() {
        return this.core.isAccepting();
    }

    /** @return whether a connect was started and has not completed (asyncore's {@code connecting}) */
    public final boolean isConnecting() {
        return this.core.isConnecting();
    }

    /** @return whether a close was asked for and has not happened yet */
    public final boolean isClosing() {
        return this.core.isClosing();
    }

    /** @return whether the dispatcher has a socket ({@link #createSocket} or {@link #setSocket}) not yet closed */
    public final boolean hasSocket() {
        return this.core.hasSocket();
    }

    /** @return whether the dispatcher is closed and out of its map */
    public final boolean isClosed() {
        return this.core.isClosed();
    }

    /**
     * @return why the channel closed, or {@code null} while it is open (or its close is still on its way
     *         to the loop); see {@link CloseReason}
     */
    public final CloseReason getCloseReason() {
        return this.core.closeReason();
    }

    /** @return whether a read found end-of-stream: the peer half-closed or closed, and sends nothing more */
    public final boolean isInputEnded() {
        return this.core.isInputEnded();
    }

    /**
     * @return whether this side sent end-of-stream: {@link #shutdownOutput()} did (for a
     *         {@link BufferedDispatcher}, once its queued output was written), or a graceful shutdown
     *         drained the channel
     */
    public final boolean isOutputShutdown() {
        return this.core.isOutputShutdown();
    }

    /** @return the role of the channel */
    public final ChannelKind kind() {
        return this.core.kind();
    }

    /** @return the state observers see */
    public final ChannelState state() {
        return this.core.state();
    }

    /** @return the bound local address, or {@code null} when not bound yet */
    public final SocketAddress getLocalAddress() {
        return this.core.localAddress();
    }

    /** @return the peer's address, or {@code null} when there is no peer */
    public final SocketAddress getRemoteAddress() {
        return this.core.remoteAddress();
    }

    /**
     * asyncore's {@code addr}: the peer for a connection or client, the local address for a listener or
     * an unconnected datagram socket.
     * @return the address, or {@code null} when there is none yet
     */
    public final SocketAddress getAddress() {
        SocketAddress remote = this.core.remoteAddress();
        return (this.core.isAccepting() || remote == null) ? this.core.localAddress() : remote;
    }

    /**
     * @return output bytes queued and not yet written, with those other threads sent that are still on
     *         their way to the loop; always 0 for a plain dispatcher. Any thread.
     */
    public final long pendingOutputBytes() {
        return this.core.pendingOutputBytes();
    }

    /**
     * Whether the channel takes more output without falling behind (Netty's {@code isWritable()}): false
     * once its pending output rose above the high water mark, until it drained to the low mark (the same
     * marks that pause its reading), and false when it is closed or closing. A broadcaster or any
     * producer on its own initiative asks it to skip or delay a slow peer instead of queuing for it;
     * {@link #handleWritabilityChanged()} says when it changes. Any thread.
     * @return whether the channel is open and below its high water mark
     */
    public final boolean isWritable() {
        return this.core.isWritable();
    }

    /** @return for a listener, how many connections it accepted are open now; any thread */
    public final int openConnections() {
        return this.core.acceptGate().openConnections();
    }

    /**
     * asyncore's repr: class, name if set, id, state and address, for example
     * {@code <EchoHandler #7 connected 127.0.0.1:50412>}, or {@code <EchoHandler echoServer#7 connected
     * 127.0.0.1:50412>} for a connection named after its listener.
     */
    @Override
    public String toString() {
        String type = defaultName(getClass());
        String name = this.core.name();
        String id = "#" + this.core.id();
        StringBuilder text = new StringBuilder("<").append(type);
        if (!name.equals(type)) {
            text.append(' ').append(name);
        }
        if (!name.endsWith(id)) {
            text.append(' ').append(id);
        }
        text.append(' ').append(state().name().toLowerCase(java.util.Locale.ROOT));
        SocketAddress address = getAddress();
        if (address != null) {
            text.append(' ').append(format(address));
        }
        return text.append('>').toString();
    }

    /**
     * Formats an address for logs: {@code ip:port} ({@code host:port} when unresolved), {@code [v6]:port}
     * or a socket file's path.
     * @param address the address, may be {@code null}
     * @return the text
     */
    public static String format(SocketAddress address) {
        return Sockets.format(address);
    }

    // ---------------------------------------------------------------- for this package's subclasses and helpers

    /** @return the channel's core: the socket, its state and its event routing (not API) */
    final ChannelCore core() {
        return this.core;
    }

    /** @return who hears that the channel closed */
    final CloseHooks closeHooks() {
        return this.closeHooks;
    }

    /**
     * Sets who hears that a connect completed or failed, or {@code null} for nobody. Loop thread.
     * @throws IllegalStateException when another hook is set
     */
    final void connectHook(ConnectHook hook) {
        this.reconnection.hook(this, hook);
    }

    /** @return a snapshot for observers */
    final ChannelSnapshot snapshot() {
        return this.core.snapshot();
    }

    /** Called after the handlers of one dispatch returned, still on the loop thread. */
    void afterHandlers() throws IOException {
    }

    /** @return whether output waits that the loop should drain before closing on shutdown */
    boolean hasPendingOutput() {
        return false;
    }

    /** Drops queued output and returns its memory to the loop; the channel is closing. Loop thread. */
    void releaseOutput() {
    }

    /** The closed dispatcher is being given a new socket: subclasses forget the old one's state. Loop thread. */
    void reopened() {
    }

    private void useMap(ChannelMap map) {
        this.map = map;
        this.core.attach(map.context());
    }

    private static String defaultName(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName().substring(type.getName().lastIndexOf('.') + 1) : simple;
    }

    /** The hooks and facade operations as the core calls them: one per dispatcher, never seen outside. */
    private final class Handler implements ChannelHandler {

        @Override
        public boolean readable() {
            return Dispatcher.this.readable();
        }

        @Override
        public boolean writable() {
            return Dispatcher.this.writable();
        }

        @Override
        public void handleRead() throws IOException {
            Dispatcher.this.handleRead();
        }

        @Override
        public void handleWrite() throws IOException {
            Dispatcher.this.handleWrite();
        }

        @Override
        public void handleConnect() throws IOException {
            Dispatcher.this.handleConnect();
        }

        @Override
        public void handleAccept() throws IOException {
            Dispatcher.this.handleAccept();
        }

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            Dispatcher.this.handleAccepted(channel, address);
        }

        @Override
        public void handleEndOfStream() throws IOException {
            Dispatcher.this.handleEndOfStream();
        }

        @Override
        public void handleClose() throws IOException {
            Dispatcher.this.handleClose();
        }

        @Override
        public void handleError(Throwable error) {
            Dispatcher.this.handleError(error);
        }

        @Override
        public void handleIdle(IdleState state) throws IOException {
            Dispatcher.this.handleIdle(state);
        }

        @Override
        public void handleWritabilityChanged() throws IOException {
            Dispatcher.this.handleWritabilityChanged();
        }

        @Override
        public void close() {
            Dispatcher.this.close();
        }

        @Override
        public void afterHandlers() throws IOException {
            Dispatcher.this.afterHandlers();
        }

        @Override
        public boolean hasPendingOutput() {
            return Dispatcher.this.hasPendingOutput();
        }

        @Override
        public void releaseOutput() {
            Dispatcher.this.releaseOutput();
        }

        @Override
        public void closed() {
            Dispatcher.this.closeHooks.closed(Dispatcher.this);
        }

        @Override
        public void reopened() {
            Dispatcher.this.reopened();
        }

        @Override
        public void connectEnded(Exception error) {
            if (error == null) {
                Dispatcher.this.reconnection.connected(Dispatcher.this);
            }
            else {
                Dispatcher.this.reconnection.connectFailed(Dispatcher.this, error);
            }
        }

        @Override
        public void joinMap() {
            map().add(Dispatcher.this);
        }

        @Override
        public ChannelContext resolveContext() {
            return map().context();
        }

        @Override
        public String className() {
            return Dispatcher.this.getClass().getName();
        }

        @Override
        public String toString() {
            return Dispatcher.this.toString();
        }

    }

}
