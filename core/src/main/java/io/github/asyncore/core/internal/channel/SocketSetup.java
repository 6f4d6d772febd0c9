package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.ScheduledTask;
import io.github.asyncore.core.SocketType;
import io.github.asyncore.core.internal.transport.DatagramTransport;
import io.github.asyncore.core.internal.transport.ListenerTransport;
import io.github.asyncore.core.internal.transport.Sockets;
import io.github.asyncore.core.internal.transport.StreamTransport;

/**
 * How a channel gets its socket, as asyncore's {@code create_socket}, {@code set_socket}, {@code bind},
 * {@code listen}, {@code connect} and {@code accept} describe it: which {@code Transport} it gets, and the
 * connect's completion, failure and timeout. A stream socket is opened only by {@link #listen} or
 * {@link #connect}, because the JDK has separate channel types for the two; until then this class keeps the
 * family, the bind address and {@code SO_REUSEADDR} asked for. Loop thread. Not API.
 */
public final class SocketSetup {

    private final ChannelCore channel;

    private ProtocolFamily family;

    private SocketType socketType;

    private SocketAddress bindAddress;

    private boolean reuseAddress;

    private ScheduledTask connectTimer;

    SocketSetup(ChannelCore channel) {
        this.channel = channel;
    }

    /**
     * asyncore's {@code create_socket}: a datagram socket is opened now, a stream socket later.
     * @param family the protocol family
     * @param type stream or datagram
     * @throws IOException when the socket cannot be opened (a closed channel then stays closed)
     */
    public void createSocket(ProtocolFamily family, SocketType type) throws IOException {
        requireNoSocket();
        DatagramTransport datagram = null;
        if (type == SocketType.DATAGRAM) {
            if (family == StandardProtocolFamily.UNIX) {
                throw new UnsupportedOperationException("JDK NIO has no Unix-domain datagram sockets");
            }
            datagram = DatagramTransport.open(family);
        }
        if (this.channel.isClosed()) {
            this.channel.reopen();
        }
        if (datagram != null) {
            this.channel.transport = datagram;
            this.channel.kind = ChannelKind.DATAGRAM;
        }
        this.family = family;
        this.socketType = type;
        this.channel.socketCreated = true;
        this.channel.handler().joinMap();
    }

    /**
     * asyncore's {@code set_socket}: adopts an open channel. A connected socket that a listener on this
     * thread just accepted inherits that listener's settings and name.
     * @param socket a socket, server socket or datagram channel
     * @throws IOException when it cannot be made non-blocking
     */
    public void setSocket(SelectableChannel socket) throws IOException {
        requireNoSocket();
        if (!(socket instanceof ServerSocketChannel || socket instanceof SocketChannel
                || socket instanceof DatagramChannel)) {
            throw new IllegalArgumentException("Unsupported channel type " + socket.getClass().getName());
        }
        socket.configureBlocking(false);
        ChannelCore core = this.channel;
        if (core.isClosed()) {
            core.reopen();
        }
        if (socket instanceof ServerSocketChannel server) {
            this.socketType = SocketType.STREAM;
            core.kind = ChannelKind.LISTENER;
            core.transport = ListenerTransport.adopt(server);
            core.localAddress = server.getLocalAddress();
            core.accepting = core.localAddress != null;
        }
        else if (socket instanceof SocketChannel stream) {
            this.socketType = SocketType.STREAM;
            core.localAddress = stream.getLocalAddress();
            if (stream.isConnected()) {
                core.kind = ChannelKind.CONNECTION;
                core.connected = true;
                core.remoteAddress = stream.getRemoteAddress();
            }
            else if (stream.isConnectionPending()) {
                core.connecting = true;
                core.connectPending = true;
            }
            AcceptGate.adopted(core, stream);
            core.transport = StreamTransport.adopt(stream);
        }
        else {
            DatagramChannel datagram = (DatagramChannel) socket;
            this.socketType = SocketType.DATAGRAM;
            core.kind = ChannelKind.DATAGRAM;
            core.transport = DatagramTransport.adopt(datagram);
            core.localAddress = datagram.getLocalAddress();
            core.remoteAddress = datagram.getRemoteAddress();
            core.connected = datagram.isConnected();
        }
        core.socketCreated = true;
        core.handler().joinMap();
        if (core.connected) {
            core.idle().arm();
            if (core.tls().settings() != null) {
                try {
                    core.tls().start();
                }
                catch (IOException | RuntimeException ex) {
                    core.handler().close();
                    throw ex;
                }
            }
        }
        if (core.connected || core.accepting || (core.kind == ChannelKind.DATAGRAM && core.localAddress != null)) {
            core.announceOpened();
        }
    }

    /**
     * asyncore's {@code set_reuse_addr}; ignored for Unix-domain sockets.
     * @throws IOException when the option cannot be set
     */
    public void setReuseAddr() throws IOException {
        this.reuseAddress = true;
        if (this.channel.transport != null && this.channel.transport.channel() instanceof NetworkChannel network) {
            Sockets.reuseAddress(network, this.family);
        }
    }

    /**
     * Binds a datagram socket now; remembers a stream socket's address for {@link #listen} or {@link #connect}.
     * @param address the local address
     * @throws IOException when a datagram socket cannot bind it
     */
    public void bind(SocketAddress address) throws IOException {
        requireSocket();
        ChannelCore core = this.channel;
        if (core.transport instanceof DatagramTransport datagram) {
            datagram.bind(core.handler(), address);
            core.localAddress = datagram.localAddress();
            core.announceOpened();
            return;
        }
        if (core.transport != null) {
            throw new IllegalStateException(core.handler() + " is already listening or connecting");
        }
        this.bindAddress = address;
    }

    /**
     * asyncore's {@code listen}: opens the server socket on the bound address.
     * @param backlog the length of the queue of connections not yet accepted
     * @throws IOException when the socket cannot listen (a bind failure names the address)
     */
    public void listen(int backlog) throws IOException {
        requireSocket();
        ChannelCore core = this.channel;
        if (this.socketType != SocketType.STREAM) {
            throw new IllegalStateException(core.handler() + ": only a stream socket can listen");
        }
        if (core.transport != null) {
            throw new IllegalStateException(core.handler() + " is already listening or connecting");
        }
        ListenerTransport listener = ListenerTransport.listen(core.handler(), this.family, this.reuseAddress,
                this.bindAddress, backlog);
        core.transport = listener;
        core.localAddress = listener.localAddress();
        core.kind = ChannelKind.LISTENER;
        core.accepting = true;
        core.markForEvaluation();
        core.announceOpened();
    }

    /**
     * asyncore's {@code connect}: starts connecting without waiting; for a datagram socket, fixes the peer.
     * @param address the peer
     * @throws IOException when the connect fails at once (the channel is then closed with {@code ERROR})
     */
    public void connect(SocketAddress address) throws IOException {
        requireSocket();
        ChannelCore core = this.channel;
        if (core.connected || core.connecting || core.accepting) {
            throw new IllegalStateException(core.handler() + " is already connected, connecting or listening");
        }
        core.remoteAddress = address;
        if (core.transport instanceof DatagramTransport datagram) {
            try {
                datagram.connect(address);
            }
            catch (IOException | RuntimeException ex) {
                failedAtOnce(ex);
                throw ex;
            }
            core.localAddress = datagram.localAddress();
            core.connecting = true;
            core.markForEvaluation();
            return;
        }
        core.kind = ChannelKind.CLIENT;
        core.connecting = true;
        try {
            StreamTransport stream = StreamTransport.open(this.family, this.reuseAddress, this.bindAddress);
            core.transport = stream;
            core.connectPending = stream.connect(address);
            core.localAddress = stream.localAddress();
            if (!core.connectPending && core.tls().settings() != null) {
                core.tls().start();
            }
        }
        catch (IOException | RuntimeException ex) {
            failedAtOnce(ex);
            throw ex;
        }
        core.markForEvaluation();
        Duration timeout = core.settings().connectTimeout();
        if (core.connectPending && !timeout.isZero()) {
            this.connectTimer = core.executor().schedule(timeout, core.channelTask(() -> connectTimedOut(timeout)));
        }
    }

    /** The selector reported the pending connect ready: complete it, or report its failure. */
    void finishConnect() throws IOException {
        ChannelCore core = this.channel;
        StreamTransport stream = (StreamTransport) core.transport;
        boolean finished;
        try {
            finished = stream.finishConnect();
        }
        catch (IOException ex) {
            connectFailed(ex);
            return;
        }
        if (!finished) {
            return;
        }
        core.connectPending = false;
        cancelConnectTimer();
        core.localAddress = stream.localAddress();
        if (core.tls().settings() != null) {
            core.tls().start(); // the connect completes when the handshake does
            return;
        }
        if (core.router().evaluatedWritable()) {
            core.router().handleWriteEvent(); // a connected socket is writable: this is the first write event
        }
        // otherwise the first read event completes the connect
    }

    /** A connect that failed before it could start: tell the hook, and close as a failed connect does. */
    private void failedAtOnce(Exception error) {
        this.channel.handler().connectEnded(error);
        this.channel.close(CloseReason.ERROR);
    }

    private void connectTimedOut(Duration timeout) {
        this.connectTimer = null;
        ChannelCore core = this.channel;
        if (core.isClosed() || !core.connectPending) {
            return;
        }
        core.traffic().connectTimeout();
        connectFailed(new SocketTimeoutException("connect to " + Sockets.format(core.remoteAddress)
                + " timed out after " + timeout.toMillis() + " ms"));
    }

    /**
     * A failed connect leaves no usable socket (the JDK closed it, or the timeout abandons it): stop its
     * timer, report the error, then close whatever handleError did, so that the attempt can neither
     * complete nor fail a second time.
     */
    private void connectFailed(IOException error) {
        cancelConnectTimer();
        this.channel.handler().connectEnded(error);
        this.channel.errors().handleErrorEvent(error);
        this.channel.close(CloseReason.ERROR);
    }

    void cancelConnectTimer() {
        ScheduledTask timer = this.connectTimer;
        this.connectTimer = null;
        if (timer != null) {
            timer.cancel();
        }
    }

    /** @return whether the socket is a datagram socket */
    public boolean isDatagram() {
        return this.socketType == SocketType.DATAGRAM;
    }

    /** @return the datagram transport, for {@code sendTo} and {@code receiveFrom} */
    public DatagramTransport datagram() {
        if (!(this.channel.transport instanceof DatagramTransport datagram)) {
            throw new IllegalStateException(this.channel.handler() + " is not a datagram socket");
        }
        return datagram;
    }

    /** The channel gets a new socket: nothing asked for the old one applies. */
    void reset() {
        this.family = null;
        this.socketType = null;
        this.bindAddress = null;
        this.reuseAddress = false;
        this.connectTimer = null;
    }

    private void requireNoSocket() {
        if (this.channel.hasSocket()) {
            throw new IllegalStateException(this.channel.handler() + " already has a socket"
                    + (this.channel.isClosing() ? " (closing)" : "") + "; a dispatcher may create one again once it is closed");
        }
    }

    private void requireSocket() {
        if (!this.channel.socketCreated) {
            throw new IllegalStateException(this.channel.handler() + " has no socket: call createSocket() first");
        }
    }

}
