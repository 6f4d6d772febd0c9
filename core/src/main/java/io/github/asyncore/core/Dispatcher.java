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

import io.github.asyncore.core.internal.channel.ChannelCore;
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
 * As in asyncore, some events are implied: the first read or write event on a connecting socket (even one
 * connected at once, as Unix-domain sockets are) calls {@link #handleConnect()} first; a failed connect
 * reaches {@link #handleError(Throwable)}; end-of-stream calls {@link #handleEndOfStream()} (by default
 * {@link #handleClose()}); a read event on a listener calls {@link #handleAccept()}. Disconnect errors
 * (reset, broken pipe, not connected, aborted) become {@link #handleClose()}, any other exception from a
 * handler {@link #handleError(Throwable)}; nothing a handler throws stops the loop or touches another
 * channel. Each close records a {@link CloseReason}. There is no {@code handle_expt}: NIO has no
 * out-of-band wait.
 *
 * <h2>TLS</h2>
 * A stream channel given {@link TlsSettings} ({@link #setTls(TlsSettings)}) speaks TLS; its handlers still
 * read and send plaintext, and {@link #readable()} and {@link #writable()} keep their meaning.
 *
 * <h2>Threads</h2>
 * Every handler runs on the loop thread of the dispatcher's map. Socket operations (create, bind, listen,
 * connect, accept, send, recv) must run there too, or before the loop runs, and fail with an
 * {@link IllegalStateException} elsewhere. {@link #close()}, {@link #close(CloseReason)} and
 * {@link #shutdownOutput()} are handed to the loop from any thread; the getters, {@link #isWritable()}
 * and {@link #toString()} are safe from any thread. Hand anything else over with
 * {@code executor().execute(...)}. {@link ChannelListener}s are told on the loop thread.
 *
 * <h2>Structure</h2>
 * This class is a facade: its operations delegate to a per-channel core in an internal package (not API).
 */
public class Dispatcher {

    private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

    private final DispatcherHandler handler = new DispatcherHandler(this);

    private final ChannelCore core;

    /** Given to the constructor, or resolved from {@link ChannelMap#current()} on first use. */
    private ChannelMap map;

    /**
     * Creates a dispatcher without a socket for the {@linkplain ChannelMap#current() current} map, looked up
     * when it is first needed: a Spring bean joins the loop on whose thread its socket is opened.
     */
    public Dispatcher() {
        this.core = new ChannelCore(this.handler, defaultName(getClass()));
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
     * Adopts an open channel, typically one given to {@link #handleAccepted}, into the current map.
     * @param channel a socket, server socket or datagram channel
     * @throws IOException when the channel cannot be made non-blocking
     */
    public Dispatcher(SelectableChannel channel) throws IOException {
        this();
        setSocket(channel);
    }

    /**
     * asyncore's {@code dispatcher(sock, map)}: adopts an open channel into the given map.
     * @param channel a socket, server socket or datagram channel
     * @param map the map to join
     * @throws IOException when the channel cannot be made non-blocking
     */
    public Dispatcher(SelectableChannel channel, ChannelMap map) throws IOException {
        this(map);
        setSocket(channel);
    }

    /**
     * asyncore's {@code create_socket()}: an IPv4 stream socket, as {@link #createSocket(ProtocolFamily, SocketType)}.
     * @throws IOException when the socket cannot be opened
     */
    public void createSocket() throws IOException {
        createSocket(StandardProtocolFamily.INET, SocketType.STREAM);
    }

    /**
     * Creates a socket and joins the map: a datagram socket now, a stream socket by {@link #listen(int)} or
     * {@link #connect(SocketAddress)}. A closed dispatcher may create one again, after the close returned
     * (see "Reconnecting" in the {@linkplain io.github.asyncore.core package documentation}).
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
     * Adopts an open channel and joins the map, as asyncore's {@code set_socket}. A connected socket is a
     * {@link ChannelKind#CONNECTION}; one a listener just accepted on this thread inherits that listener's
     * settings and name. A closed dispatcher may adopt a channel again, starting afresh.
     * @param channel a socket, server socket or datagram channel
     * @throws IOException when the channel cannot be made non-blocking
     * @throws IllegalStateException when the dispatcher has a socket that is not closed
     */
    public void setSocket(SelectableChannel channel) throws IOException {
        this.core.checkInEventLoop("setSocket");
        this.core.setup().setSocket(Objects.requireNonNull(channel, "channel"));
    }

    /**
     * asyncore's {@code set_reuse_addr()}: {@code SO_REUSEADDR}, so that a restarted server binds a port
     * whose old connections linger in TIME_WAIT. Ignored for Unix-domain sockets.
     * @throws IOException when the option cannot be set
     */
    public void setReuseAddr() throws IOException {
        this.core.checkInEventLoop("setReuseAddr");
        this.core.setup().setReuseAddr();
    }

    /**
     * Binds the socket: a datagram socket now, a stream socket when it listens or connects (the JDK binds
     * and listens in one call, so {@link #listen(int)} reports a port in use).
     * @param address the local address
     * @throws BindException when a datagram socket's address is in use or not available
     * @throws IOException on other socket errors
     */
    public void bind(SocketAddress address) throws IOException {
        this.core.checkInEventLoop("bind");
        this.core.setup().bind(address);
    }

    /**
     * asyncore's {@code listen(num)}: accepts connections on the bound address (else any free port), which
     * arrive in {@link #handleAccept()}.
     * @param backlog the length of the queue of connections not yet accepted
     * @throws BindException naming the address when it is in use or not available
     * @throws IOException on other socket errors
     */
    public void listen(int backlog) throws IOException {
        this.core.checkInEventLoop("listen");
        this.core.setup().listen(backlog);
    }

    /**
     * Starts connecting, without waiting, as asyncore's {@code connect(address)}: the first read or write
     * event calls {@link #handleConnect()}; a refused or timed-out ({@link ChannelSettings#connectTimeout()})
     * connect reaches {@link #handleError(Throwable)}, and the channel is then closed in any case. For a
     * datagram socket it fixes the peer for {@link #send} and {@link #recv}.
     * @param address the peer's address
     * @throws IOException when the connect fails at once (the dispatcher is then closed, with
     *         {@link CloseReason#ERROR})
     */
    public void connect(SocketAddress address) throws IOException {
        this.core.checkInEventLoop("connect");
        this.core.setup().connect(Objects.requireNonNull(address, "address"));
    }

    /**
     * asyncore's {@code accept()}: one pending connection, non-blocking with {@code TCP_NODELAY}; adopt it
     * with a dispatcher or close it.
     * @return the new connection, or {@code null} when none is pending (or the client gave up)
     * @throws IOException on socket errors other than a connection aborted before it was accepted
     */
    public SocketChannel accept() throws IOException {
        this.core.checkInEventLoop("accept");
        return this.core.acceptGate().accept();
    }

    /**
     * asyncore's {@code send(data)}: writes what the socket takes now, advancing the buffer's position; a
     * disconnect calls {@link #handleClose()} and returns 0. {@link BufferedDispatcher} queues instead.
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
     * asyncore's {@code recv}: reads what the socket has; end-of-stream calls {@link #handleEndOfStream()},
     * a disconnect {@link #handleClose()}, and both return -1.
     * @param buffer where to put the bytes
     * @return how many bytes were read, 0 when none were waiting, -1 when the peer is gone
     * @throws IOException on socket errors other than disconnects
     */
    public int recv(ByteBuffer buffer) throws IOException {
        this.core.checkInEventLoop("recv");
        return this.core.bytes().read(buffer);
    }

    /**
     * asyncore's {@code recv(buffer_size)}: up to {@code maxBytes} in a new array, empty at the end.
     * @param maxBytes the most bytes to read
     * @return the bytes read; empty when none were waiting or the peer is gone ({@link #isClosed()})
     * @throws IOException on socket errors other than disconnects
     */
    public byte[] recv(int maxBytes) throws IOException {
        this.core.checkInEventLoop("recv");
        return this.core.bytes().readArray(maxBytes);
    }

    /**
     * The allocation-free {@code recv}: reads up to {@link ChannelSettings#receiveBufferSize()} into a buffer
     * the loop lends every channel; use it before the handler returns and keep no reference. Empty at the end.
     * @return the bytes read, from position to limit; empty when none were waiting or the peer is gone
     * @throws IOException on socket errors other than disconnects
     */
    public ByteBuffer recv() throws IOException {
        this.core.checkInEventLoop("recv");
        return this.core.bytes().readLent();
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
        return this.core.bytes().sendTo(data, target);
    }

    /**
     * Receives one datagram (UDP's {@code recvfrom}), cut to the buffer's room as the JDK does.
     * @param buffer where to put the datagram
     * @return the sender's address, or {@code null} when no datagram was waiting
     * @throws IOException on socket errors
     */
    public SocketAddress receiveFrom(ByteBuffer buffer) throws IOException {
        this.core.checkInEventLoop("receiveFrom");
        return this.core.bytes().receiveFrom(buffer);
    }

    /**
     * Closes the socket and leaves the map, as asyncore's {@code close()}; idempotent, and safe from any
     * thread (handed to the loop; {@link ChannelState#CLOSING} until then). It does not call
     * {@link #handleClose()}. A Unix-domain listener's socket file is deleted. The {@linkplain
     * #getCloseReason() reason} is the event's being handled (see {@link CloseReason}), else
     * {@link CloseReason#APPLICATION}. Override it to release resources of your own, calling
     * {@code super.close()}. A {@link Reconnector} may reopen it; {@link Reconnector#stop()} ends a client.
     */
    public void close() {
        this.core.close();
    }

    /**
     * Closes through {@link #close()}, recording why: for code closing channels on someone's behalf (the
     * actuator endpoint: {@link CloseReason#OPERATOR}). Any thread; the first close wins.
     * @param reason why the channel is being closed
     */
    public final void close(CloseReason reason) {
        this.core.close(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Closes as {@link #close(CloseReason)}, after writing what is queued ({@link CloseMode#DRAIN}) or by
     * resetting the connection ({@link CloseMode#ABORT}); see {@link CloseMode}. Any thread.
     * @param reason why the channel is being closed
     * @param mode what becomes of pending output, and what the peer sees
     */
    public final void close(CloseReason reason, CloseMode mode) {
        this.core.modalClose().close(Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(mode, "mode"));
    }

    /**
     * Half-closes, as {@code shutdown(SHUT_WR)}: the peer reads end-of-stream while this channel still
     * reads and stays open; it is no longer waited on for writing. A {@link BufferedDispatcher} sends the end
     * after what it queued before, and drops later sends. Any thread, in order with its sends; once only.
     * @throws IllegalStateException (on the loop thread) when the channel is not a stream connection or
     *         client; a {@link BufferedDispatcher} accepts a client still connecting
     */
    public void shutdownOutput() {
        if (!this.core.handedToLoop(this::shutdownOutput)) {
            this.core.shutdownOutputRouted();
        }
    }

    /**
     * Asked each iteration: whether to wait for input (a listener: connections). Default {@code true}.
     * @return whether the loop should call {@link #handleRead()} when input arrives
     */
    public boolean readable() {
        return true;
    }

    /**
     * Asked each iteration: whether to wait until the socket takes output. Default {@code true}.
     * @return whether the loop should call {@link #handleWrite()} when the socket is writable
     */
    public boolean writable() {
        return true;
    }

    /**
     * Called when input is waiting; read it with {@link #recv}. The default logs a warning, as asyncore does.
     * @throws IOException from socket operations; reaches {@link #handleError(Throwable)}
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
     * Called once when a connect completes (for TLS: its handshake too), before the first read or write
     * handler; {@link #isConnected()} is true. The default logs at debug level.
     * @throws IOException from socket operations
     */
    public void handleConnect() throws IOException {
        logger.debug("{}: unhandled connect event", this);
    }

    /**
     * Called on a listener when a connection waits. The default {@link #accept()}s it, refuses it at
     * {@link ChannelSettings#maxConnections()}, and calls {@link #handleAccepted} on the loop that will serve
     * it (round-robin in an {@link EventLoopGroup}); if that throws, only that connection is closed.
     * @throws IOException from {@link #accept()}
     */
    public void handleAccept() throws IOException {
        SocketChannel socket = accept();
        if (socket != null) {
            this.core.acceptGate().admit(socket, map().connectionMap().context());
        }
    }

    /**
     * Called with each accepted connection: adopt it with a dispatcher (which inherits this listener's
     * settings) or close it. The default closes it and logs a warning, as asyncore does.
     * @param channel the new non-blocking connection
     * @param address the peer's address
     * @throws IOException from socket operations
     */
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        logger.warn("{}: unhandled accepted event from {}; closing it", this, format(address));
        channel.close();
    }

    /**
     * Called when the peer has closed its side of a stream (a read found end-of-stream): it sends nothing
     * more, but may still read if it only half-closed; the channel no longer waits for input. The default
     * calls {@link #handleClose()}, as asyncore does ({@link BufferedDispatcher} first writes what it owes).
     * Override it to go on writing (answer, then {@link BufferedDispatcher#closeWhenDone()} or
     * {@link #shutdownOutput()}); the channel stays open until closed. A close made here reports
     * {@link CloseReason#PEER}; a later one, {@link CloseReason#APPLICATION}.
     * @throws IOException from socket operations
     */
    public void handleEndOfStream() throws IOException {
        handleClose();
    }

    /**
     * Called when the channel ends (the peer went away; an error, idle timeout or close-when-done). Override
     * it to clean up and call {@link #close()}; the default logs at debug level and closes.
     * @throws IOException from socket operations
     */
    public void handleClose() throws IOException {
        logger.debug("{}: unhandled close event; closing", this);
        close();
    }

    /**
     * Called with what a handler threw (not a disconnect), or a failed connect. The default logs it (failed
     * TLS handshakes at most every 10 s per loop), calls {@link #handleClose()} and closes the channel.
     * @param error what went wrong
     */
    public void handleError(Throwable error) {
        this.core.errors().logError(logger, error, this.handler.reconnection().watched());
        try {
            handleClose();
        }
        catch (IOException ex) {
            logger.debug("{}: handleClose failed after an error", this, ex);
        }
        close();
    }

    /**
     * Called when an idle timeout of {@link #getSettings()} fires (nothing read, written, or either, for that
     * long; again after each further period). The default logs, calls {@link #handleClose()} and closes.
     * @param state which timeout fired
     * @throws IOException from socket operations
     */
    public void handleIdle(IdleState state) throws IOException {
        logger.info("{}: {} for {} ms ({}); closing", this, state, this.core.idle().timeout(state).toMillis(),
                this.core.description().ioState());
        handleClose();
        close();
    }

    /**
     * Called, after the handler or task that changed it, when {@link #isWritable()} changes (Netty's
     * {@code channelWritabilityChanged}): stop or resume a producer. The default does nothing.
     * @throws IOException from socket operations
     */
    public void handleWritabilityChanged() throws IOException {
    }

    /** @return the channel id, unique in the process and never reused */
    public final long id() {
        return this.core.id();
    }

    /** @return the name observers show; the simple class name unless set (or inherited from a listener) */
    public final String getName() {
        return this.core.name();
    }

    /**
     * Names the dispatcher for observers and logs; its traffic ({@link ChannelMap#traffic()}, meters) counts
     * under the name from the next event on, so name roles, not connections. Any thread.
     * @param name the new name
     */
    public final void setName(String name) {
        this.core.name(Objects.requireNonNull(name, "name"));
    }

    /** @return the map this dispatcher joins (made without one: the current map when first asked) */
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
     * Sets the timeouts and limits; idle timers restart with them. Loop thread (or before the loop runs).
     * @param settings the new settings
     */
    public void setSettings(ChannelSettings settings) {
        this.core.checkInEventLoop("setSettings");
        this.core.settings(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Makes the channel speak TLS; {@code null} makes a listener's future connections plain again. Loop
     * thread (or before the loop runs): on a listener any time (its future connections inherit the
     * settings), on a client before {@link #connect(SocketAddress)} ({@link #handleConnect()} runs once the
     * handshake has finished), on an adopted connection at once. {@link TlsSettings} says how the handlers,
     * handshake failures, renegotiation and close_notify behave.
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

    /** @return the TLS state (protocol and suite once the handshake finished), {@code null} if plain; any thread */
    public final TlsStatus getTlsStatus() {
        return this.core.tls().status();
    }

    /**
     * The TLS session, for example for the peer's certificates ({@link SSLSession#getPeerCertificates()}).
     * @return the session once the handshake has finished, else {@code null}; loop thread
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

    /** @return why the channel closed ({@link CloseReason}), or {@code null} while it is open */
    public final CloseReason getCloseReason() {
        return this.core.closeReason();
    }

    /** @return whether a read found end-of-stream: the peer half-closed or closed, and sends nothing more */
    public final boolean isInputEnded() {
        return this.core.isInputEnded();
    }

    /** @return whether this side sent end-of-stream ({@link #shutdownOutput()}, or a graceful shutdown) */
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

    /** @return asyncore's {@code addr}: the peer, or the local address of a listener or unconnected socket */
    public final SocketAddress getAddress() {
        return this.core.description().address();
    }

    /** @return output queued and not yet written, with sends still on their way to the loop; any thread */
    public final long pendingOutputBytes() {
        return this.core.pendingOutputBytes();
    }

    /**
     * Whether the channel takes more output without falling behind (Netty's {@code isWritable()}): false from
     * when its pending output rose above the high water mark until it drained to the low mark, and when it is
     * closed or closing. A producer asks it to skip or delay a slow peer; {@link #handleWritabilityChanged()}
     * says when it changes. Any thread.
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
     * asyncore's repr, for example {@code <EchoHandler #7 connected 127.0.0.1:50412>}, or
     * {@code <EchoHandler echoServer#7 connected 127.0.0.1:50412>} for a connection named after its listener.
     */
    @Override
    public String toString() {
        return this.core.description().describe(defaultName(getClass()));
    }

    /**
     * Formats an address for logs: {@code ip:port} ({@code host:port} if unresolved), {@code [v6]:port}, a path.
     * @param address the address, may be {@code null}
     * @return the text
     */
    public static String format(SocketAddress address) {
        return Sockets.format(address);
    }

    /** @return the channel's core: the socket, its state and its event routing (not API) */
    final ChannelCore core() {
        return this.core;
    }

    /** @return a snapshot for observers */
    final ChannelSnapshot snapshot() {
        return this.core.snapshot();
    }

    /** @return the facade's side as the core sees it, with the close and connect hooks */
    final DispatcherHandler handler() {
        return this.handler;
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

}
