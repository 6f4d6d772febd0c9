package io.github.asyncore.core;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import io.github.asyncore.core.internal.channel.ChannelListeners;
import io.github.asyncore.core.internal.channel.ChannelStatistics;
import io.github.asyncore.core.internal.channel.DispatcherCounters;
import io.github.asyncore.core.internal.channel.OutputOverflow;
import io.github.asyncore.core.internal.loop.FatalErrors;
import io.github.asyncore.core.internal.loop.LogThrottle;
import io.github.asyncore.core.internal.loop.LoopChannel;
import io.github.asyncore.core.internal.loop.LoopStatistics;
import io.github.asyncore.core.internal.loop.OutputMemoryExhaustedException;
import io.github.asyncore.core.internal.transport.DisconnectErrors;

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
 */
public class Dispatcher {

    private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

    private static final AtomicLong ids = new AtomicLong();

    /** The listener whose {@link #handleAccept()} runs on this thread, so that adopters inherit from it. */
    private static final ThreadLocal<Dispatcher> acceptingListener = new ThreadLocal<>();

    /** The connection that listener accepted last on this thread. */
    private static final ThreadLocal<SocketChannel> acceptedSocket = new ThreadLocal<>();

    private static final byte[] EMPTY = new byte[0];

    private final long id = ids.incrementAndGet();

    /** Given to the constructor, or resolved from {@link ChannelMap#current()} on first use. */
    private ChannelMap map;

    private EventExecutor executor;

    private LoopStatistics loopStatistics;

    private final ChannelStatistics statistics = new ChannelStatistics();

    private volatile String name;

    /** Where the channel's traffic counts: under its name, or an accepted connection's under its listener's. */
    private final TrafficAccount trafficAccount;

    private volatile ChannelSettings settings = ChannelSettings.DEFAULTS;

    /** The channel's output figures, water marks and output limits. */
    private final OutputBounds bounds = new OutputBounds(this, ChannelSettings.DEFAULTS);

    /** Told when the channel closes (the {@link ChannelGroup}s it is in, a {@link Reconnector}). */
    private final CloseHooks closeHooks = new CloseHooks();

    /** The socket's generation and the connect hook of a {@link Reconnector}. */
    private final Reconnection reconnection = new Reconnection();

    /** How the channel speaks TLS, or {@code null} for plain bytes; a listener hands it to its connections. */
    private volatile TlsSettings tlsSettings;

    /** The TLS layer of a connected stream channel with TLS settings; {@code null} on the plain path. */
    private TlsLayer tlsLayer;

    /** What observers see of the TLS state, or {@code null} for a plain channel. */
    private volatile TlsStatus tlsStatus;

    private ProtocolFamily family;

    private SocketType socketType;

    private SocketAddress bindAddress;

    private boolean reuseAddress;

    private volatile SelectableChannel channel;

    private SelectionKey key;

    private int interestOps = -1;

    private boolean connectPending;

    private ScheduledTask connectTimer;

    private ScheduledTask idleTimer;

    private final long[] idleSince = new long[IdleState.values().length];

    private volatile ChannelKind kind = ChannelKind.CLIENT;

    private volatile SocketAddress localAddress;

    private volatile SocketAddress remoteAddress;

    private volatile boolean socketCreated;

    private volatile boolean connected;

    private volatile boolean accepting;

    private volatile boolean connecting;

    private volatile boolean closing;

    private volatile boolean closed;

    private volatile boolean evaluatedReadable;

    private volatile boolean evaluatedWritable;

    /** Set once a read found end-of-stream: the peer will send nothing more. */
    private volatile boolean inputEnded;

    /** Set once this side sent end-of-stream ({@link #shutdownOutput()} or a graceful drain). */
    private volatile boolean outputShutdown;

    /**
     * The reason a close made now would have: set while asyncore runs a handler for an event that may
     * close the channel (end-of-stream, an error, an idle timeout), {@code null} otherwise. Loop thread.
     */
    private CloseReason closeCause;

    /** Why the channel closed; {@code null} while it is open. */
    private volatile CloseReason closeReason;

    /** Set once the map's listeners heard that the channel opened, so that they hear it close. Loop thread. */
    private boolean announced;

    /** Set when input must not be read any more (a subclass stopped it for good). */
    private boolean readSuspended;

    /** Set while the loop shuts down gracefully. */
    private DrainState drain;

    /** Set while this channel's event handlers run. */
    private boolean inHandler;

    /** For a listener: its connections open now (accepted, not yet closed). Any thread. */
    private final java.util.concurrent.atomic.AtomicInteger openConnections = new java.util.concurrent.atomic.AtomicInteger();

    /** For an accepted connection: the listener whose count it is in, until it closes. */
    private volatile Dispatcher acceptedBy;

    /** For a listener that refused a connection at its limit: limits the log lines of refusals. */
    private LogThrottle refusalLog;

    /**
     * Creates a dispatcher without a socket for the {@linkplain ChannelMap#current() current} map, which
     * is looked up when the socket is created (or the dispatcher first needs its loop): a dispatcher made
     * on one thread, such as a Spring bean, joins the loop on whose thread its socket is opened.
     */
    public Dispatcher() {
        this.name = defaultName(getClass());
        this.trafficAccount = new TrafficAccount(this.name);
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
     * {@link Reconnector} does it for you). The dispatcher then starts afresh, as if just constructed: open,
     * no close reason, not connected, nothing read or ended, no TLS session, no bind address or
     * {@code SO_REUSEADDR} until asked again, and (for {@link BufferedDispatcher} and {@link AsyncChat})
     * no output, partial frame or unread input left from the old socket; work other threads handed in for
     * the old socket (sends, a close-when-done) is dropped. It keeps its {@link #id()}, name, settings, TLS
     * settings and cumulative byte counts, and a {@link ChannelListener} hears it open and close once more.
     * Call it after the close has returned, not inside {@link #handleClose()} or
     * {@link #handleError(Throwable)}, whose default and callers close the channel once more when they
     * return: hand it to the loop ({@code executor().execute(...)} or a timer) instead.
     * @param family {@link StandardProtocolFamily#INET}, {@code INET6} or {@code UNIX} (stream only)
     * @param type stream or datagram
     * @throws IOException when the socket cannot be opened (a closed dispatcher then stays closed)
     * @throws IllegalStateException when the dispatcher has a socket that is not closed
     * @throws UnsupportedOperationException for Unix-domain datagram sockets, which the JDK lacks
     */
    public void createSocket(ProtocolFamily family, SocketType type) throws IOException {
        checkInEventLoop("createSocket");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        requireNoSocket();
        DatagramChannel datagram = null;
        if (type == SocketType.DATAGRAM) {
            if (family == StandardProtocolFamily.UNIX) {
                throw new UnsupportedOperationException("JDK NIO has no Unix-domain datagram sockets");
            }
            datagram = DatagramChannel.open(family);
            try {
                datagram.configureBlocking(false);
            }
            catch (IOException ex) {
                closeQuietly(datagram);
                throw ex;
            }
        }
        if (this.closed) {
            reopen();
        }
        if (datagram != null) {
            this.channel = datagram;
            this.kind = ChannelKind.DATAGRAM;
        }
        this.family = family;
        this.socketType = type;
        this.socketCreated = true;
        map().add(this);
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
        checkInEventLoop("setSocket");
        Objects.requireNonNull(channel, "channel");
        requireNoSocket();
        if (!(channel instanceof ServerSocketChannel || channel instanceof SocketChannel
                || channel instanceof DatagramChannel)) {
            throw new IllegalArgumentException("Unsupported channel type " + channel.getClass().getName());
        }
        channel.configureBlocking(false);
        if (this.closed) {
            reopen();
        }
        if (channel instanceof ServerSocketChannel server) {
            this.socketType = SocketType.STREAM;
            this.kind = ChannelKind.LISTENER;
            this.localAddress = server.getLocalAddress();
            this.accepting = this.localAddress != null;
        }
        else if (channel instanceof SocketChannel socket) {
            this.socketType = SocketType.STREAM;
            this.localAddress = socket.getLocalAddress();
            if (socket.isConnected()) {
                this.kind = ChannelKind.CONNECTION;
                this.connected = true;
                this.remoteAddress = socket.getRemoteAddress();
            }
            else if (socket.isConnectionPending()) {
                this.connecting = true;
                this.connectPending = true;
            }
            inheritFromListener(socket);
        }
        else {
            DatagramChannel datagram = (DatagramChannel) channel;
            this.socketType = SocketType.DATAGRAM;
            this.kind = ChannelKind.DATAGRAM;
            this.localAddress = datagram.getLocalAddress();
            this.remoteAddress = datagram.getRemoteAddress();
            this.connected = datagram.isConnected();
        }
        this.channel = channel;
        this.socketCreated = true;
        map().add(this);
        if (this.connected) {
            armIdleTimer();
            if (this.tlsSettings != null) {
                try {
                    startTls();
                }
                catch (IOException | RuntimeException ex) {
                    close();
                    throw ex;
                }
            }
        }
        if (this.connected || this.accepting || (this.kind == ChannelKind.DATAGRAM && this.localAddress != null)) {
            announceOpened();
        }
    }

    /**
     * Asks for {@code SO_REUSEADDR}, as asyncore's {@code set_reuse_addr()}, so that a restarted server can
     * bind a port whose old connections linger in TIME_WAIT. Ignored for Unix-domain sockets.
     * @throws IOException when the option cannot be set
     */
    public void setReuseAddr() throws IOException {
        checkInEventLoop("setReuseAddr");
        this.reuseAddress = true;
        if (this.channel instanceof NetworkChannel network && this.family != StandardProtocolFamily.UNIX) {
            network.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
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
        checkInEventLoop("bind");
        requireSocket();
        if (this.socketType == SocketType.DATAGRAM) {
            try {
                ((DatagramChannel) this.channel).bind(address);
            }
            catch (BindException ex) {
                throw bindFailure("bind", address, ex);
            }
            this.localAddress = ((DatagramChannel) this.channel).getLocalAddress();
            announceOpened();
            return;
        }
        if (this.channel != null) {
            throw new IllegalStateException(this + " is already listening or connecting");
        }
        this.bindAddress = Objects.requireNonNull(address, "address");
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
        checkInEventLoop("listen");
        requireSocket();
        if (this.socketType != SocketType.STREAM) {
            throw new IllegalStateException(this + ": only a stream socket can listen");
        }
        if (this.channel != null) {
            throw new IllegalStateException(this + " is already listening or connecting");
        }
        ServerSocketChannel server = ServerSocketChannel.open(this.family);
        try {
            if (this.reuseAddress && this.family != StandardProtocolFamily.UNIX) {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            server.bind(this.bindAddress, backlog);
            server.configureBlocking(false);
            this.localAddress = server.getLocalAddress();
        }
        catch (IOException | RuntimeException ex) {
            closeQuietly(server);
            if (ex instanceof BindException bindException) {
                throw bindFailure("listen on", this.bindAddress, bindException);
            }
            throw ex;
        }
        this.channel = server;
        this.kind = ChannelKind.LISTENER;
        this.accepting = true;
        map().markForEvaluation(this);
        announceOpened();
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
        checkInEventLoop("connect");
        requireSocket();
        Objects.requireNonNull(address, "address");
        if (this.connected || this.connecting || this.accepting) {
            throw new IllegalStateException(this + " is already connected, connecting or listening");
        }
        this.remoteAddress = address;
        if (this.socketType == SocketType.DATAGRAM) {
            DatagramChannel datagram = (DatagramChannel) this.channel;
            try {
                datagram.connect(address);
            }
            catch (IOException | RuntimeException ex) {
                failedAtOnce(ex);
                throw ex;
            }
            this.localAddress = datagram.getLocalAddress();
            this.connecting = true;
            map().markForEvaluation(this);
            return;
        }
        SocketChannel socket = SocketChannel.open(this.family);
        this.channel = socket;
        this.kind = ChannelKind.CLIENT;
        this.connecting = true;
        try {
            socket.configureBlocking(false);
            configureStream(socket);
            if (this.reuseAddress && this.family != StandardProtocolFamily.UNIX) {
                socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (this.bindAddress != null) {
                socket.bind(this.bindAddress);
            }
            this.connectPending = !socket.connect(address);
            this.localAddress = socket.getLocalAddress();
            if (!this.connectPending && this.tlsSettings != null) {
                startTls();
            }
        }
        catch (IOException | RuntimeException ex) {
            failedAtOnce(ex);
            throw ex;
        }
        map().markForEvaluation(this);
        Duration timeout = this.settings.connectTimeout();
        if (this.connectPending && !timeout.isZero()) {
            this.connectTimer = executor().schedule(timeout, channelTask(() -> connectTimedOut(timeout)));
        }
    }

    /**
     * Accepts one pending connection, as asyncore's {@code accept()}. The new channel is non-blocking (and
     * has {@code TCP_NODELAY} set); adopt it with a dispatcher or close it.
     * @return the new connection, or {@code null} when none is pending (a spurious wake-up, or a client
     *         that gave up)
     * @throws IOException on socket errors other than a connection aborted before it was accepted
     */
    public SocketChannel accept() throws IOException {
        checkInEventLoop("accept");
        if (!(this.channel instanceof ServerSocketChannel server)) {
            throw new IllegalStateException(this + " is not listening");
        }
        SocketChannel socket;
        try {
            socket = server.accept();
        }
        catch (IOException ex) {
            if (DisconnectErrors.isDisconnect(ex) && !(ex instanceof java.nio.channels.ClosedChannelException)) {
                logger.debug("{}: a connection went away before it was accepted: {}", this, ex.toString());
                return null;
            }
            throw ex;
        }
        if (socket == null) {
            return null;
        }
        try {
            socket.configureBlocking(false);
            configureStream(socket);
        }
        catch (IOException ex) {
            closeQuietly(socket);
            throw ex;
        }
        traffic().connectionAccepted();
        acceptedSocket.set(socket);
        return socket;
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
        checkInEventLoop("send");
        return write(data);
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
        checkInEventLoop("recv");
        return read(buffer);
    }

    /**
     * Reads up to {@code maxBytes} into a new array, as asyncore's {@code recv(buffer_size)}.
     * End-of-stream or a disconnect error calls {@link #handleClose()} and returns an empty array.
     * @param maxBytes the most bytes to read
     * @return the bytes read; empty when none were waiting or the peer is gone ({@link #isClosed()})
     * @throws IOException on socket errors other than disconnects
     */
    public byte[] recv(int maxBytes) throws IOException {
        checkInEventLoop("recv");
        ByteBuffer buffer = map().buffers().readBuffer(maxBytes);
        buffer.limit(maxBytes);
        int read = read(buffer);
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
        checkInEventLoop("recv");
        int size = this.settings.receiveBufferSize();
        ByteBuffer buffer = map().buffers().readBuffer(size);
        buffer.limit(size);
        read(buffer);
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
        checkInEventLoop("sendTo");
        int sent = datagramChannel().send(data, target);
        if (sent > 0) {
            this.statistics.written(sent, System.nanoTime());
            traffic().bytesWritten(sent);
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
        checkInEventLoop("receiveFrom");
        int before = buffer.position();
        SocketAddress sender = datagramChannel().receive(buffer);
        if (sender != null) {
            this.statistics.read(buffer.position() - before, System.nanoTime());
            traffic().bytesRead(buffer.position() - before);
        }
        return sender;
    }

    /**
     * Closes the socket and leaves the map, as asyncore's {@code close()}. Idempotent: a second call is
     * harmless. Safe from any thread: from another thread while the loop runs, the close is handed to
     * the loop (the channel reports {@link ChannelState#CLOSING} until then). Unlike an event, it does
     * not call {@link #handleClose()}. A Unix-domain listener's socket file is deleted.
     * <p>
     * The {@linkplain #getCloseReason() reason} recorded is that of the event being handled (see
     * {@link CloseReason}), else {@link CloseReason#APPLICATION}; {@link #close(CloseReason)} names
     * another. Override it to release resources of your own, and call {@code super.close()}.
     * <p>
     * As asyncore, a closed dispatcher may create a socket again: {@link #createSocket(ProtocolFamily,
     * SocketType)} (or {@link #setSocket}) then starts it afresh on the same object, with the same id. Nothing
     * reopens it by itself, unless a {@link Reconnector} keeps it connected; a reconnector does not reopen it
     * after a close from the application's code or a loop shutdown, but a dispatcher that is waiting for the
     * reconnector's next attempt is closed already, so that this method does nothing then: stop the
     * reconnector ({@link Reconnector#stop()}) to end a client for good.
     */
    public void close() {
        if (this.closed) {
            return;
        }
        if (!executor().inEventLoop()) {
            this.closing = true;
            executor().execute(this::close);
            return;
        }
        this.closed = true;
        this.closing = false;
        CloseReason reason = (this.closeCause != null) ? this.closeCause : CloseReason.APPLICATION;
        this.closeReason = reason;
        Dispatcher listener = this.acceptedBy;
        if (listener != null) {
            this.acceptedBy = null;
            listener.openConnections.decrementAndGet();
        }
        this.connected = false;
        this.accepting = false;
        this.connecting = false;
        map().remove(this);
        cancelTimer(this.connectTimer);
        cancelTimer(this.idleTimer);
        this.bounds.closed();
        releaseOutput();
        this.closeHooks.closed(this);
        TlsLayer layer = this.tlsLayer;
        if (layer != null) {
            layer.closeOutbound(); // close_notify, if the socket takes it at once
        }
        if (this.key != null) {
            this.key.cancel();
        }
        SelectableChannel current = this.channel;
        if (current != null) {
            closeQuietly(current);
            if (current instanceof ServerSocketChannel && this.localAddress instanceof UnixDomainSocketAddress path) {
                try {
                    Files.deleteIfExists(path.getPath());
                }
                catch (IOException ex) {
                    logger.debug("{}: could not delete the socket file {}", this, path, ex);
                }
            }
        }
        if (this.key != null) {
            map().releaseClosedChannels(); // the socket is closed for real only once the selector lets go of it
        }
        if (this.announced) {
            map().listeners().closed(snapshot(), reason);
        }
    }

    /**
     * Closes the channel as {@link #close()} does, recording why: for code that closes channels on
     * someone else's behalf, such as the actuator endpoint ({@link CloseReason#OPERATOR}) or a loop
     * shutting down. {@link #close()} (overridden or not) does the closing. Any thread, as
     * {@code close()}; the first close wins, and a later call does nothing.
     * @param reason why the channel is being closed
     */
    public final void close(CloseReason reason) {
        Objects.requireNonNull(reason, "reason");
        if (this.closed) {
            return;
        }
        if (!executor().inEventLoop()) {
            this.closing = true;
            executor().execute(() -> close(reason));
            return;
        }
        CloseReason outer = this.closeCause;
        this.closeCause = reason;
        try {
            close();
        }
        finally {
            this.closeCause = outer;
        }
    }

    /**
     * Half-closes the connection: the peer reads end-of-stream (a TCP FIN) while this channel goes on
     * reading, as a socket's {@code shutdown(SHUT_WR)}. A client says "that was my whole request" with it
     * and reads the answer; a server says "that was my whole answer" and still reads what the client
     * sends. From then on the loop no longer waits for this channel to be writable, whatever
     * {@link #writable()} says, and the channel stays open until it is closed (by the peer's end-of-stream,
     * by default, or by {@link #close()}).
     * <p>
     * A plain dispatcher sends the end-of-stream at once; {@link BufferedDispatcher} (and
     * {@link AsyncChat}) send it once everything queued before the call has been written, and drop what
     * is sent after it. Any thread: from another thread while the loop runs, it is handed to the loop, in
     * order with that thread's sends. Does nothing once output is shut down or the channel closed. An I/O
     * error reaches {@link #handleError(Throwable)} (a disconnect: {@link #handleClose()}).
     * @throws IllegalStateException (on the loop thread) when the channel is not a stream connection or
     *         client; a {@link BufferedDispatcher} accepts a client still connecting
     */
    public void shutdownOutput() {
        if (!executor().inEventLoop()) {
            executor().execute(channelTask(this::shutdownOutput));
            return;
        }
        try {
            shutdownOutputNow();
        }
        catch (IOException ex) {
            handleErrorEvent(ex);
        }
    }

    /** Sends end-of-stream now, unless already sent or closed. Loop thread. */
    final void shutdownOutputNow() throws IOException {
        if (this.closed || this.outputShutdown) {
            return;
        }
        if (!(this.channel instanceof SocketChannel socket) || !this.connected) {
            throw new IllegalStateException(this + ": only a connected stream socket can shut its output down");
        }
        this.outputShutdown = true;
        TlsLayer layer = this.tlsLayer;
        if (layer != null) {
            layer.closeOutbound(); // close_notify before the end-of-stream (TLS 1.3 keeps the inbound side open)
        }
        try {
            socket.shutdownOutput();
        }
        catch (IOException ex) {
            if (DisconnectErrors.isDisconnect(ex)) {
                peerGone();
                return;
            }
            throw ex;
        }
        map().markForEvaluation(this);
    }

    /**
     * Checks that {@link #shutdownOutput()} could apply once pending output is written. Loop thread.
     * @throws IllegalStateException when the channel is not a stream connection or a client
     */
    final void checkCanShutdownOutput() {
        if (this.socketType != SocketType.STREAM || this.accepting || !(this.connected || this.connecting)) {
            throw new IllegalStateException(this + ": only a connected stream socket can shut its output down");
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
     * and passes it to {@link #handleAccepted}. When the map belongs to an {@link EventLoopGroup} of
     * several loops, the connection goes round-robin to the group's loops and {@code handleAccepted} runs
     * on the thread of the loop that will serve it, so that the dispatcher it creates joins that loop.
     * If {@code handleAccepted} throws, the default closes that connection, logs the reason and counts a
     * rejected connection, and the listener goes on accepting: one connection that cannot be set up does
     * not close the server (asyncore would close the listener).
     * @throws IOException from {@link #accept()}
     */
    public void handleAccept() throws IOException {
        SocketChannel socket = accept();
        if (socket == null) {
            return;
        }
        int limit = this.settings.maxConnections();
        if (limit > 0 && this.openConnections.get() >= limit) {
            refuse(socket, limit);
            return;
        }
        this.openConnections.incrementAndGet(); // until handleAccepted adopts the socket, or does not
        ChannelMap target = map().connectionMap();
        if (target == map()) {
            acceptConnection(socket, target);
        }
        else {
            target.executor().execute(() -> acceptConnection(socket, target));
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
            TlsLayer layer = this.tlsLayer;
            if (this.connecting && this.reconnection.watched()) {
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
        logger.info("{}: {} for {} ms ({}); closing", this, state, idleTimeout(state).toMillis(), ioState());
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

    /** @return what the channel waits for, for logs: output owed and whether it reads */
    final String ioState() {
        String reading = this.readSuspended ? "input ended"
                : this.bounds.readPaused() ? "reading paused by the water marks"
                : this.evaluatedReadable ? "reading" : "not readable";
        return pendingOutputBytes() + " bytes unsent, " + reading;
    }

    // ---------------------------------------------------------------- state (any thread)

    /** @return the channel id, unique in the process and never reused */
    public final long id() {
        return this.id;
    }

    /** @return the name observers show; the simple class name unless set (or inherited from a listener) */
    public final String getName() {
        return this.name;
    }

    /**
     * Names the dispatcher for observers and logs. Its traffic counts under the name too
     * ({@link ChannelMap#traffic()}, the starter's meters), from the next event on; a listener's connections
     * count under their listener's name. So name dispatchers per role, never per connection or address. Any
     * thread.
     * @param name the new name
     */
    public final void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.trafficAccount.rename(name);
        if (this.socketCreated && !this.closed) { // joined: count under the new name from now on
            EventExecutor loop = executor();
            if (loop.inEventLoop()) {
                this.trafficAccount.resolve(map());
            }
            else {
                loop.execute(() -> this.trafficAccount.resolve(map()));
            }
        }
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
        map();
        return this.executor;
    }

    /** @return the timeouts and limits in force */
    public final ChannelSettings getSettings() {
        return this.settings;
    }

    /**
     * Sets the timeouts and limits; idle timers restart with the new values. Loop thread (or before the
     * loop runs).
     * @param settings the new settings
     */
    public void setSettings(ChannelSettings settings) {
        checkInEventLoop("setSettings");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.bounds.settingsChanged(settings);
        if (this.idleTimer != null || (this.connected && !this.closed)) {
            armIdleTimer();
        }
        if (this.socketCreated && !this.closed) {
            map().markForEvaluation(this);
        }
    }

    /**
     * Makes the channel speak TLS (see {@link TlsSettings}); {@code null} makes a listener's future
     * connections plain again. Loop thread (or before the loop runs). When to call it:
     * <ul>
     * <li>on a listener, any time: the connections it accepts from then on inherit the settings (so a
     * renewed certificate applies to new connections, while open ones keep theirs);</li>
     * <li>on a client, before {@link #connect(SocketAddress)}: once TCP connects, the handshake runs, and
     * {@link #handleConnect()} is called when it has finished, so that the first {@code send} travels
     * encrypted (sends made before are queued by a {@link BufferedDispatcher});</li>
     * <li>on a connection adopted with {@link #setSocket} (or a listener's settings inherited there), the
     * handshake starts at once.</li>
     * </ul>
     * Handlers do not change: {@link #handleRead()} and {@link #recv} see plaintext, {@link #send} takes
     * plaintext, and {@link #readable()} and {@link #writable()} keep their meaning; the layer does the
     * handshake and reads or writes ciphertext as it needs, whatever the handlers asked for. A handshake
     * that fails or times out reaches {@link #handleError(Throwable)} with an
     * {@link javax.net.ssl.SSLException}, after which the channel is closed; a peer that closes the
     * connection during the handshake reaches {@link #handleClose()}. A TLS 1.2 renegotiation is refused
     * the same way as a failed handshake. {@link #close()} sends close_notify if the socket takes it at
     * once (it never waits).
     * @param tls the settings, or {@code null} for none
     * @throws IllegalStateException on a datagram socket (DTLS is not supported), or when the channel
     *         already speaks TLS on a connection
     */
    public void setTls(TlsSettings tls) {
        checkInEventLoop("setTls");
        if (this.socketType == SocketType.DATAGRAM) {
            throw new IllegalStateException(this + ": TLS needs a stream socket; DTLS is not supported");
        }
        if (this.tlsLayer != null) {
            throw new IllegalStateException(this + " already speaks TLS on its connection");
        }
        this.tlsSettings = tls;
        this.tlsStatus = (tls != null) ? TlsStatus.HANDSHAKING : null;
        if (tls != null && this.connected && !this.closed && this.channel instanceof SocketChannel) {
            try {
                startTls();
            }
            catch (IOException ex) {
                handleErrorEvent(ex);
            }
        }
    }

    /** @return the TLS settings in force (for a listener: those its connections inherit), or {@code null} */
    public final TlsSettings getTls() {
        return this.tlsSettings;
    }

    /** @return whether the channel speaks TLS (for a listener: whether its connections will); any thread */
    public final boolean isTls() {
        return this.tlsStatus != null;
    }

    /**
     * @return the channel's TLS state (negotiated protocol and cipher suite once the handshake has
     *         finished), or {@code null} for a plain channel; any thread
     */
    public final TlsStatus getTlsStatus() {
        return this.tlsStatus;
    }

    /**
     * The TLS session of a connection, for example to read the peer's certificates
     * ({@link SSLSession#getPeerCertificates()}) in {@link #handleConnect()} or a handler. Loop thread.
     * @return the session once the handshake has finished, else {@code null}
     */
    public final SSLSession getSslSession() {
        checkInEventLoop("getSslSession");
        TlsLayer layer = this.tlsLayer;
        return (layer != null && layer.isEstablished()) ? layer.session() : null;
    }

    /** @return whether the socket is connected and {@link #handleConnect()} has run (asyncore's {@code connected}) */
    public final boolean isConnected() {
        return this.connected;
    }

    /** @return whether the socket is listening (asyncore's {@code accepting}) */
    public final boolean isAccepting() {
        return this.accepting;
    }

    /** @return whether a connect was started and has not completed (asyncore's {@code connecting}) */
    public final boolean isConnecting() {
        return this.connecting;
    }

    /** @return whether a close was asked for and has not happened yet */
    public final boolean isClosing() {
        return this.closing;
    }

    /** @return whether the dispatcher has a socket ({@link #createSocket} or {@link #setSocket}) not yet closed */
    public final boolean hasSocket() {
        return this.socketCreated && !this.closed;
    }

    /** @return whether the dispatcher is closed and out of its map */
    public final boolean isClosed() {
        return this.closed;
    }

    /**
     * @return why the channel closed, or {@code null} while it is open (or its close is still on its way
     *         to the loop); see {@link CloseReason}
     */
    public final CloseReason getCloseReason() {
        return this.closeReason;
    }

    /** @return whether a read found end-of-stream: the peer half-closed or closed, and sends nothing more */
    public final boolean isInputEnded() {
        return this.inputEnded;
    }

    /**
     * @return whether this side sent end-of-stream: {@link #shutdownOutput()} did (for a
     *         {@link BufferedDispatcher}, once its queued output was written), or a graceful shutdown
     *         drained the channel
     */
    public final boolean isOutputShutdown() {
        return this.outputShutdown;
    }

    /** @return the role of the channel */
    public final ChannelKind kind() {
        return this.kind;
    }

    /** @return the state observers see */
    public final ChannelState state() {
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

    /** @return the bound local address, or {@code null} when not bound yet */
    public final SocketAddress getLocalAddress() {
        return this.localAddress;
    }

    /** @return the peer's address, or {@code null} when there is no peer */
    public final SocketAddress getRemoteAddress() {
        return this.remoteAddress;
    }

    /**
     * asyncore's {@code addr}: the peer for a connection or client, the local address for a listener or
     * an unconnected datagram socket.
     * @return the address, or {@code null} when there is none yet
     */
    public final SocketAddress getAddress() {
        return (this.accepting || this.remoteAddress == null) ? this.localAddress : this.remoteAddress;
    }

    /**
     * @return output bytes queued and not yet written, with those other threads sent that are still on
     *         their way to the loop; always 0 for a plain dispatcher. Any thread.
     */
    public final long pendingOutputBytes() {
        return this.bounds.pending();
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
        return !this.bounds.unwritable() && !this.closed && !this.closing
                && pendingOutputBytes() <= this.settings.writeBufferWaterMark().high();
    }

    /**
     * asyncore's repr: class, name if set, id, state and address, for example
     * {@code <EchoHandler #7 connected 127.0.0.1:50412>}, or {@code <EchoHandler echoServer#7 connected
     * 127.0.0.1:50412>} for a connection named after its listener.
     */
    @Override
    public String toString() {
        String type = defaultName(getClass());
        String id = "#" + this.id;
        StringBuilder text = new StringBuilder("<").append(type);
        if (!this.name.equals(type)) {
            text.append(' ').append(this.name);
        }
        if (!this.name.endsWith(id)) {
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
        if (address instanceof InetSocketAddress inet) {
            String host = inet.isUnresolved() ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString().isEmpty() ? "(unnamed)" : unix.getPath().toString();
        }
        return String.valueOf(address);
    }

    // ---------------------------------------------------------------- the state machine (loop thread)

    /**
     * The one byte path in: reads (through the TLS layer when there is one), and turns end-of-stream and
     * disconnects into handleEndOfStream and handleClose.
     */
    final int read(ByteBuffer buffer) throws IOException {
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
     */
    final int write(ByteBuffer data) throws IOException {
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
            this.bounds.exceeded(OutputOverflow.MEMORY, pendingOutputBytes(), "the JVM's direct buffer memory is"
                    + " used up (" + ex.getMessage() + ")");
            return 0;
        }
    }

    /** Reads bytes off the socket as they are, and counts them; -1 at end-of-stream. */
    final int readSocket(ByteBuffer buffer) throws IOException {
        int read = ((ReadableByteChannel) requireChannel()).read(buffer);
        if (read > 0) {
            this.statistics.read(read, clock());
            traffic().bytesRead(read);
        }
        return read;
    }

    /** Writes bytes to the socket as they are, and counts them. */
    final int writeSocket(ByteBuffer data) throws IOException {
        int written = ((WritableByteChannel) requireChannel()).write(data);
        if (written > 0) {
            this.statistics.written(written, clock());
            traffic().bytesWritten(written);
        }
        return written;
    }

    /** A read found end-of-stream: stop reading for good and let the dispatcher answer or close. */
    final void endOfStream() throws IOException {
        this.inputEnded = true;
        suspendReading(); // end-of-stream stays readable: never ask again
        CloseReason outer = this.closeCause;
        this.closeCause = CloseReason.PEER;
        try {
            handleEndOfStream();
        }
        finally {
            this.closeCause = outer;
        }
    }

    /** A disconnect error: asyncore's {@code handle_close}, a close in it made for the peer. */
    final void peerGone() throws IOException {
        CloseReason outer = this.closeCause;
        this.closeCause = CloseReason.PEER;
        try {
            handleClose();
        }
        finally {
            this.closeCause = outer;
        }
    }

    /**
     * Runs an action with the reason a close it makes would have (see {@link CloseReason}). Loop thread.
     * @param reason the reason
     * @param action what to run
     * @throws IOException what the action throws
     */
    final void withCloseCause(CloseReason reason, IoAction action) throws IOException {
        CloseReason outer = this.closeCause;
        this.closeCause = reason;
        try {
            action.run();
        }
        finally {
            this.closeCause = outer;
        }
    }

    /** @return the reason a close made now would have, or {@code null} for {@link CloseReason#APPLICATION} */
    final CloseReason closeCause() {
        return this.closeCause;
    }

    /** Tells the map's listeners, once, that the channel is ready for traffic. Loop thread. */
    private void announceOpened() {
        if (this.announced || this.closed) {
            return;
        }
        ChannelListeners listeners = map().listeners();
        if (listeners.isEmpty()) {
            return;
        }
        this.announced = true;
        listeners.opened(snapshot());
    }

    /**
     * Asks {@link #readable()} and {@link #writable()} and (re-)registers the channel for what they want.
     * Called by the loop once per iteration.
     */
    final void updateInterest(Selector selector, boolean draining) {
        SelectableChannel current = this.channel;
        if (current == null || this.closed) {
            return;
        }
        boolean readable;
        boolean writable;
        int ops;
        try {
            if (this.accepting) {
                readable = readable() && !draining;
                writable = false;
                ops = readable ? SelectionKey.OP_ACCEPT : 0;
            }
            else if (this.connectPending) {
                readable = readable();
                writable = writable();
                ops = (readable || writable) ? SelectionKey.OP_CONNECT : 0;
            }
            else if (draining) {
                // shutting down: no more input for the handlers; write what is owed, then only discard
                DrainState state = this.drain;
                readable = state != null && state.discardingInput && !state.peerClosed;
                writable = (state == null || state.finSentNanos == 0) && !this.outputShutdown && writable();
                ops = (readable ? SelectionKey.OP_READ : 0) | (writable ? SelectionKey.OP_WRITE : 0);
            }
            else {
                readable = readable() && !this.bounds.readPaused() && !this.readSuspended;
                writable = !this.outputShutdown && writable();
                ops = (readable ? SelectionKey.OP_READ : 0) | (writable ? SelectionKey.OP_WRITE : 0);
            }
        }
        catch (Throwable ex) {
            handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
            return;
        }
        TlsLayer layer = this.tlsLayer;
        if (layer != null) {
            ops = layer.interestOps(ops, readable);
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
                this.key = current.register(selector, ops, loopChannel());
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

    /** Runs the handlers for the ready operations, routing every exception as asyncore does. */
    final void dispatch(int readyOps) {
        this.inHandler = true;
        try {
            if ((readyOps & SelectionKey.OP_ACCEPT) != 0) {
                handleAcceptEvent();
                return;
            }
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
                return;
            }
            TlsLayer layer = this.tlsLayer;
            if (layer != null) {
                readyOps = tlsReady(layer, readyOps);
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                if (this.drain != null && this.drain.discardingInput) {
                    discardInput();
                    return;
                }
                handleReadEvent();
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0 && !this.closed) {
                handleWriteEvent();
            }
            if (!this.closed) {
                this.inHandler = false;
                afterHandlers();
            }
        }
        catch (Throwable ex) {
            handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
        }
        finally {
            this.inHandler = false;
        }
    }

    /** Called after the handlers of one dispatch returned, still on the loop thread. */
    void afterHandlers() throws IOException {
    }

    /**
     * The TLS layer's part of a ready event: it writes and reads what the handshake and the ciphertext
     * need; the handlers then see only what they asked for. A client's connect completes (and
     * {@link #handleConnect()} runs) once its handshake has finished.
     */
    private int tlsReady(TlsLayer layer, int readyOps) throws IOException {
        int ops = layer.ready(readyOps);
        if (this.connecting && layer.isEstablished() && !this.closed) {
            handleConnectEvent();
        }
        return ops & ((this.evaluatedReadable ? SelectionKey.OP_READ : 0)
                | (this.evaluatedWritable ? SelectionKey.OP_WRITE : 0));
    }

    /** @return whether one of this channel's event handlers is running now (on the loop thread) */
    final boolean inHandler() {
        return this.inHandler;
    }

    /**
     * @return work for the loop that concerns this channel's current socket only: it does nothing once the
     *         dispatcher was given a new socket after a close (see {@link #createSocket(ProtocolFamily, SocketType)})
     */
    final Runnable channelTask(IoAction action) {
        return new ChannelTask(this, this.reconnection.generation(), action);
    }

    /** @return work for the loop that concerns this channel, that runs whatever socket the channel has then */
    final Runnable anySocketTask(IoAction action) {
        return new ChannelTask(this, ChannelTask.ANY_SOCKET, action);
    }

    /** @return how many times the dispatcher was given a socket after a close; any thread */
    final int generation() {
        return this.reconnection.generation();
    }

    /**
     * Sets who hears that a connect completed or failed, or {@code null} for nobody. Loop thread.
     * @throws IllegalStateException when another hook is set
     */
    final void connectHook(ConnectHook hook) {
        this.reconnection.hook(this, hook);
    }

    /** Runs an action on the loop with the dispatcher's error routing. */
    final void invoke(IoAction action) {
        try {
            action.run();
        }
        catch (Throwable ex) {
            handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
        }
    }

    /** asyncore's {@code _DISCONNECTED} rule: disconnects close, everything else is an error. */
    final void handleErrorEvent(Throwable error) {
        boolean disconnect = DisconnectErrors.isDisconnect(error);
        CloseReason outer = this.closeCause;
        this.closeCause = disconnect ? CloseReason.PEER : CloseReason.ERROR;
        try {
            if (disconnect) {
                handleClose();
            }
            else {
                traffic().handlerError();
                handleError(error);
            }
        }
        catch (Throwable secondary) {
            FatalErrors.rethrowIfFatal(secondary);
            secondary.addSuppressed(error);
            logger.error("{}: {} threw; closing", this, disconnect ? "handleClose" : "handleError", secondary);
            close();
        }
        finally {
            this.closeCause = outer;
        }
    }

    private void handleAcceptEvent() throws IOException {
        Dispatcher previous = acceptingListener.get();
        acceptingListener.set(this);
        try {
            handleAccept();
        }
        finally {
            acceptedSocket.remove();
            if (previous != null) {
                acceptingListener.set(previous);
            }
            else {
                acceptingListener.remove();
            }
        }
    }

    private void finishConnect() throws IOException {
        SocketChannel socket = (SocketChannel) this.channel;
        boolean finished;
        try {
            finished = socket.finishConnect();
        }
        catch (IOException ex) {
            connectFailed(ex);
            return;
        }
        if (!finished) {
            return;
        }
        this.connectPending = false;
        cancelTimer(this.connectTimer);
        this.localAddress = socket.getLocalAddress();
        if (this.tlsSettings != null) {
            startTls(); // the connect completes when the handshake does
            return;
        }
        if (this.evaluatedWritable) {
            handleWriteEvent(); // a connected socket is writable: this is the first write event
        }
        // otherwise the first read event completes the connect
    }

    private void handleReadEvent() throws IOException {
        if (this.accepting) {
            handleAcceptEvent();
            return;
        }
        if (this.connecting) {
            handleConnectEvent();
        }
        if (!this.closed) {
            handleRead();
        }
    }

    private void handleWriteEvent() throws IOException {
        if (this.accepting) {
            return; // a listener has no write events; pretend it did not happen, as asyncore does
        }
        if (this.connecting) {
            handleConnectEvent();
        }
        if (!this.closed) {
            handleWrite();
        }
    }

    private void handleConnectEvent() throws IOException {
        this.connecting = false;
        this.connected = true;
        if (this.channel instanceof SocketChannel socket) {
            this.remoteAddress = socket.getRemoteAddress();
        }
        armIdleTimer();
        announceOpened();
        this.reconnection.connected(this);
        handleConnect();
    }

    /** A connect that failed before it could start: tell the hook, and close as a failed connect does. */
    private void failedAtOnce(Exception error) {
        this.reconnection.connectFailed(this, error);
        close(CloseReason.ERROR);
    }

    private void connectTimedOut(Duration timeout) {
        this.connectTimer = null;
        if (this.closed || !this.connectPending) {
            return;
        }
        traffic().connectTimeout();
        connectFailed(new SocketTimeoutException(
                "connect to " + format(this.remoteAddress) + " timed out after " + timeout.toMillis() + " ms"));
    }

    /**
     * A failed connect leaves no usable socket (the JDK closed it, or the timeout abandons it): stop its
     * timer, report the error, then close whatever handleError did, so that the attempt can neither
     * complete nor fail a second time.
     */
    private void connectFailed(IOException error) {
        cancelTimer(this.connectTimer);
        this.connectTimer = null;
        this.reconnection.connectFailed(this, error);
        handleErrorEvent(error);
        close(CloseReason.ERROR);
    }

    // ---------------------------------------------------------------- idle timeouts (loop thread)

    private void armIdleTimer() {
        cancelTimer(this.idleTimer);
        this.idleTimer = null;
        if (this.closed || !this.settings.hasIdleTimeout()) {
            return;
        }
        long now = System.nanoTime();
        Arrays.fill(this.idleSince, now);
        scheduleIdleCheck(now);
    }

    private void scheduleIdleCheck(long now) {
        long next = Long.MAX_VALUE;
        for (IdleState state : IdleState.values()) {
            long timeout = idleTimeout(state).toNanos();
            if (timeout > 0) {
                next = Math.min(next, idleBase(state) + timeout - now);
            }
        }
        if (next != Long.MAX_VALUE) {
            this.idleTimer = executor().schedule(Duration.ofNanos(Math.max(0, next)), channelTask(this::checkIdle));
        }
    }

    private void checkIdle() {
        this.idleTimer = null;
        if (this.closed) {
            return;
        }
        long now = System.nanoTime();
        for (IdleState state : IdleState.values()) {
            long timeout = idleTimeout(state).toNanos();
            if (timeout > 0 && now - idleBase(state) >= timeout) {
                this.idleSince[state.ordinal()] = now;
                traffic().idleTimeout();
                if (this.announced) {
                    map().listeners().idle(snapshot(), state);
                }
                invoke(() -> withCloseCause(CloseReason.IDLE_TIMEOUT, () -> handleIdle(state)));
                if (this.closed) {
                    return;
                }
            }
        }
        if (this.idleTimer == null) {
            scheduleIdleCheck(now);
        }
    }

    private long idleBase(IdleState state) {
        long activity = switch (state) {
            case READER_IDLE -> this.statistics.lastReadNanos();
            case WRITER_IDLE -> this.statistics.lastWriteNanos();
            case ALL_IDLE -> latest(this.statistics.lastReadNanos(), this.statistics.lastWriteNanos());
        };
        return latest(activity, this.idleSince[state.ordinal()]);
    }

    private Duration idleTimeout(IdleState state) {
        return switch (state) {
            case READER_IDLE -> this.settings.readIdleTimeout();
            case WRITER_IDLE -> this.settings.writeIdleTimeout();
            case ALL_IDLE -> this.settings.idleTimeout();
        };
    }

    // ---------------------------------------------------------------- for subclasses in this package

    /**
     * Publishes the output queued on the loop, and applies the water marks and the output limits to it
     * and what other threads handed in. Loop thread.
     */
    final void outputChanged(long queuedBytes) {
        if (!this.inHandler && this.socketCreated) {
            map().markForEvaluation(this); // in a handler, the loop re-evaluates the channel afterwards
        }
        this.bounds.apply(queuedBytes);
    }

    /** @return the channel's output figures, water marks and output limits */
    final OutputBounds bounds() {
        return this.bounds;
    }

    /** @return who hears that the channel closed */
    final CloseHooks closeHooks() {
        return this.closeHooks;
    }

    /** Reports the channel as closing from now on, so that sends are refused. Any thread. */
    final void markClosing() {
        this.closing = true;
    }

    /** Drops queued output and returns its memory to the loop; the channel is closing. Loop thread. */
    void releaseOutput() {
    }

    /**
     * The closed dispatcher is being given a new socket: forget what belonged to the old one. Subclasses
     * reset their own state and call {@code super.reopened()}. Loop thread.
     */
    void reopened() {
    }

    /** Stops reading for good (the loop no longer waits for input). */
    final void suspendReading() {
        this.readSuspended = true;
        map().markForEvaluation(this);
    }

    /**
     * One step of a graceful shutdown, on the loop thread. Once nothing is owed to the peer, half-closes
     * the connection (the peer reads end-of-stream) and from then on discards what the peer still sends,
     * so that closing does not reset a peer that is still sending.
     * @param nowNanos the loop's clock
     * @param graceNanos how long to wait for the peer to close after our end-of-stream
     * @return whether the channel may be closed now
     */
    final boolean drainStep(long nowNanos, long graceNanos) {
        if (hasPendingOutput() || hasPendingCiphertext()) {
            return false;
        }
        if (!(this.channel instanceof SocketChannel socket) || !this.connected || this.closed) {
            return true;
        }
        DrainState state = this.drain;
        if (state == null) {
            state = new DrainState();
            this.drain = state;
        }
        if (state.finSentNanos == 0) {
            TlsLayer layer = this.tlsLayer;
            if (layer != null) {
                layer.closeOutbound(); // close_notify before the end-of-stream
            }
            try {
                socket.shutdownOutput();
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

    /** Reads and drops what the peer sends while the channel drains; notes the peer's end-of-stream. */
    private void discardInput() {
        ByteBuffer scratch = map().buffers().readBuffer(64 * 1024);
        try {
            int read;
            while ((read = ((SocketChannel) this.channel).read(scratch)) > 0) {
                scratch.clear();
            }
            if (read < 0) {
                this.drain.peerClosed = true;
            }
        }
        catch (IOException ex) {
            this.drain.peerClosed = true;
        }
    }

    /** This channel's part of a graceful shutdown. */
    static final class DrainState {

        long finSentNanos;

        boolean discardingInput;

        boolean peerClosed;

    }

    /** @return whether output waits that the loop should drain before closing on shutdown */
    boolean hasPendingOutput() {
        return false;
    }

    final void checkInEventLoop(String operation) {
        if (!executor().inEventLoop()) {
            throw new IllegalStateException(this + ": " + operation + "() must run on the loop thread of "
                    + map().name() + ", not on " + Thread.currentThread().getName()
                    + "; hand it over with executor().execute(...)");
        }
    }

    ChannelSnapshot snapshot() {
        return new ChannelSnapshot(this.id, this.name, getClass().getName(), this.kind, state(), this.localAddress,
                this.remoteAddress, this.evaluatedReadable, this.evaluatedWritable, this.statistics.bytesRead(),
                this.statistics.bytesWritten(), pendingOutputBytes(), this.statistics.createdAt(),
                this.statistics.lastReadAt(), this.statistics.lastWriteAt(),
                map().name(), this.inputEnded, this.outputShutdown, this.tlsStatus, isWritable(),
                this.settings.outputLimit());
    }

    /** An action that may throw an I/O error, run with {@link #invoke(IoAction)}. */
    @FunctionalInterface
    interface IoAction {

        void run() throws IOException;

    }

    // ---------------------------------------------------------------- helpers

    private void inheritFromListener(SocketChannel socket) {
        Dispatcher listener = acceptingListener.get();
        if (listener != null && acceptedSocket.get() == socket) {
            acceptedSocket.remove(); // adopted: this dispatcher now holds the listener's count
            this.acceptedBy = listener;
            this.settings = listener.settings;
            this.bounds.settingsChanged(listener.settings);
            TlsSettings tls = listener.tlsSettings;
            if (tls != null) {
                this.tlsSettings = tls;
                this.tlsStatus = TlsStatus.HANDSHAKING;
            }
            this.name = listener.name + "#" + this.id;
            this.trafficAccount.inherit(listener.trafficAccount);
        }
    }

    private void useMap(ChannelMap map) {
        this.executor = map.executor();
        this.loopStatistics = map.statistics();
        this.map = map;
    }

    /** @return the loop's clock inside a handler (read once per dispatch), else the system's */
    private long clock() {
        return this.inHandler ? statistics().now : System.nanoTime();
    }

    /** @return the loop-wide counters of this dispatcher's loop */
    LoopStatistics statistics() {
        map();
        return this.loopStatistics;
    }

    /** @return the counters this channel's traffic goes to; loop thread */
    DispatcherCounters traffic() {
        return this.trafficAccount.counters(map());
    }

    /** @return where this channel's traffic counts; any thread */
    TrafficAccount trafficAccount() {
        return this.trafficAccount;
    }

    private void refuse(SocketChannel socket, int limit) {
        traffic().connectionRefused();
        ChannelListeners listeners = map().listeners();
        if (!listeners.isEmpty()) {
            listeners.refused(snapshot(), remoteAddressOf(socket));
        }
        if (this.refusalLog == null) {
            this.refusalLog = new LogThrottle();
        }
        long unlogged = this.refusalLog.admit(System.nanoTime());
        if (unlogged >= 0) {
            logger.warn("{}: {} connections open, the max-connections limit; refusing new ones (logged at most"
                    + " every 10 s, counted in connectionsRefused; {} more since the last log)", this, limit, unlogged);
        }
        closeQuietly(socket);
    }

    /** @return for a listener, how many connections it accepted are open now; any thread */
    public final int openConnections() {
        return this.openConnections.get();
    }

    /** Puts the TLS layer on a connected stream and begins the handshake. */
    private void startTls() throws SSLException {
        TlsSettings tls = this.tlsSettings;
        TlsLayer layer = new TlsLayer(this, tls.newEngine(this.remoteAddress), tls.handshakeTimeout());
        this.tlsLayer = layer;
        this.tlsStatus = TlsStatus.HANDSHAKING;
        layer.start();
        map().markForEvaluation(this);
    }

    /** @return whether the TLS layer holds ciphertext the socket has not taken yet */
    final boolean hasPendingCiphertext() {
        TlsLayer layer = this.tlsLayer;
        return layer != null && layer.hasPendingOutput();
    }

    /** Called by the TLS layer when the first handshake has finished. */
    final void tlsHandshakeFinished(TlsStatus status) {
        this.tlsStatus = status;
        traffic().tlsHandshake();
    }

    /** Reports an error that ends the channel, then closes it even if handleError did not. */
    final void failAndClose(IOException error) {
        handleErrorEvent(error);
        close();
    }

    /** Runs {@link #handleAccepted} for one connection on the thread of the loop that will serve it. */
    private void acceptConnection(SocketChannel socket, ChannelMap target) {
        Dispatcher previousListener = acceptingListener.get();
        SocketChannel previousSocket = acceptedSocket.get();
        acceptingListener.set(this);
        acceptedSocket.set(socket);
        SocketAddress address = null;
        try {
            address = socket.getRemoteAddress();
            handleAccepted(socket, address);
            if (acceptedSocket.get() == socket) { // no dispatcher adopted it: it does not count
                this.openConnections.decrementAndGet();
            }
        }
        catch (Exception ex) {
            if (acceptedSocket.get() == socket) {
                this.openConnections.decrementAndGet();
            }
            target.countersFor(this.trafficAccount.name()).connectionRejected();
            logger.warn("{}: setting up the connection from {} failed; closed it: {}", this, format(address),
                    ex.toString(), ex);
            closeQuietly(socket);
        }
        finally {
            acceptingListener.set(previousListener);
            acceptedSocket.set(previousSocket);
        }
    }

    /**
     * Starts a closed dispatcher afresh for a new socket: every per-socket field as a new dispatcher has
     * it. The id, name, settings, TLS settings, statistics, close hooks and a listener's count of open
     * connections carry over.
     */
    private void reopen() {
        this.reconnection.nextSocket(); // before anything else: work handed in for the old socket does nothing now
        this.channel = null;
        this.key = null;
        this.interestOps = -1;
        this.family = null;
        this.socketType = null;
        this.bindAddress = null;
        this.reuseAddress = false;
        this.connectPending = false;
        this.connectTimer = null;
        this.idleTimer = null;
        Arrays.fill(this.idleSince, 0);
        this.kind = ChannelKind.CLIENT;
        this.localAddress = null;
        this.remoteAddress = null;
        this.acceptedBy = null;
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
        this.tlsStatus = (this.tlsSettings != null) ? TlsStatus.HANDSHAKING : null;
        this.bounds.reopened();
        reopened();
        this.socketCreated = false;
        this.closeReason = null;
        this.closing = false;
        this.closed = false;
    }

    private void requireNoSocket() {
        if (this.socketCreated && !this.closed) {
            throw new IllegalStateException(this + " already has a socket" + (this.closing ? " (closing)" : "")
                    + "; a dispatcher may create one again once it is closed");
        }
    }

    private void requireSocket() {
        if (!this.socketCreated) {
            throw new IllegalStateException(this + " has no socket: call createSocket() first");
        }
    }

    private SelectableChannel requireChannel() {
        SelectableChannel current = this.channel;
        if (current == null) {
            throw new IllegalStateException(this + " is neither connected nor listening");
        }
        return current;
    }

    private DatagramChannel datagramChannel() {
        if (!(this.channel instanceof DatagramChannel datagram)) {
            throw new IllegalStateException(this + " is not a datagram socket");
        }
        return datagram;
    }

    private BindException bindFailure(String action, SocketAddress address, BindException cause) {
        BindException failure = new BindException(this + ": cannot " + action + " "
                + ((address != null) ? format(address) : "an ephemeral port") + ": " + cause.getMessage());
        failure.initCause(cause);
        return failure;
    }

    private static void configureStream(SocketChannel socket) throws IOException {
        if (socket.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    private static SocketAddress remoteAddressOf(SocketChannel socket) {
        try {
            return socket.getRemoteAddress();
        }
        catch (IOException ex) {
            return null;
        }
    }

    private static void cancelTimer(ScheduledTask timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private static long latest(long a, long b) {
        return (a - b > 0) ? a : b;
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        }
        catch (IOException ex) {
            logger.debug("Closing {} failed", channel, ex);
        }
    }

    private static String defaultName(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName().substring(type.getName().lastIndexOf('.') + 1) : simple;
    }

    // ---- loop channel adapter (issue 14 loop split)

    /** This channel as the loop drives it, and its selection key's attachment; one for the dispatcher's life. */
    private final LoopChannel loopChannel = new LoopAdapter();

    /** @return this channel as the loop drives it: the same object on every call */
    LoopChannel loopChannel() {
        return this.loopChannel;
    }

    /**
     * Forwards the loop's calls to the dispatcher, so that the loop knows channels only as
     * {@link LoopChannel}s; also holds whether the loop has the channel queued for evaluation.
     */
    private final class LoopAdapter implements LoopChannel {

        /** Set while the loop has this channel queued to evaluate {@code readable()}/{@code writable()}. */
        private boolean queued;

        @Override
        public void updateInterest(Selector selector, boolean draining) {
            Dispatcher.this.updateInterest(selector, draining);
        }

        @Override
        public void dispatch(int readyOps) {
            Dispatcher.this.dispatch(readyOps);
        }

        @Override
        public boolean isListener() {
            return Dispatcher.this.isAccepting();
        }

        @Override
        public boolean drainStep(long nowNanos, long graceNanos) {
            return Dispatcher.this.drainStep(nowNanos, graceNanos);
        }

        @Override
        public boolean hasPendingOutput() {
            return Dispatcher.this.hasPendingOutput();
        }

        @Override
        public long pendingOutputBytes() {
            return Dispatcher.this.pendingOutputBytes();
        }

        @Override
        public void closeForShutdown() {
            Dispatcher.this.close(CloseReason.SHUTDOWN);
        }

        @Override
        public void closeAfterFailure() {
            try {
                Dispatcher.this.close(CloseReason.ERROR);
            }
            catch (Throwable ex) {
                // the loop is failing already; the process should be restarted (health is DOWN)
            }
        }

        @Override
        public boolean queuedForEvaluation() {
            return this.queued;
        }

        @Override
        public void queuedForEvaluation(boolean queued) {
            this.queued = queued;
        }

        @Override
        public String toString() {
            return Dispatcher.this.toString();
        }

    }

}
