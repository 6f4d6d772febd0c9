package io.github.asyncore.core.internal.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening server socket, TCP or Unix domain. It has no bytes of its own: input readiness means a
 * connection is waiting. Closing a Unix-domain listener deletes its socket file, so that the path can be
 * bound again.
 */
public final class ListenerTransport implements Transport {

    private static final Logger logger = LoggerFactory.getLogger(ListenerTransport.class);

    private final ServerSocketChannel server;

    private ListenerTransport(ServerSocketChannel server) {
        this.server = server;
    }

    /**
     * Adopts a server socket someone else opened.
     * @param server the server socket, made non-blocking already
     * @return the transport
     */
    public static ListenerTransport adopt(ServerSocketChannel server) {
        return new ListenerTransport(server);
    }

    /**
     * Opens a server socket, binds and listens in one call (as the JDK does), non-blocking. A failure closes
     * the socket; an address in use is reported with the owner and the address.
     * @param owner who listens, for the message of a bind failure
     * @param family the protocol family
     * @param reuseAddress whether to set {@code SO_REUSEADDR}
     * @param address where to listen, or {@code null} for any free port
     * @param backlog the length of the queue of connections not yet accepted
     * @return the transport
     * @throws BindException naming the address when it is in use or not available
     * @throws IOException on other socket errors
     */
    public static ListenerTransport listen(Object owner, ProtocolFamily family, boolean reuseAddress,
            SocketAddress address, int backlog) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(family);
        try {
            if (reuseAddress) {
                Sockets.reuseAddress(server, family);
            }
            server.bind(address, backlog);
            server.configureBlocking(false);
        }
        catch (IOException | RuntimeException ex) {
            Sockets.closeQuietly(server);
            if (ex instanceof BindException bindException) {
                throw Sockets.bindFailure(owner, "listen on", address, bindException);
            }
            throw ex;
        }
        return new ListenerTransport(server);
    }

    /**
     * Accepts one pending connection, non-blocking and with {@code TCP_NODELAY}.
     * @param owner who accepts, for the debug line of a connection that went away
     * @return the connection, or {@code null} when none is pending or it went away before it was accepted
     * @throws IOException on other socket errors
     */
    public SocketChannel accept(Object owner) throws IOException {
        SocketChannel socket;
        try {
            socket = this.server.accept();
        }
        catch (IOException ex) {
            if (DisconnectErrors.isDisconnect(ex) && !(ex instanceof ClosedChannelException)) {
                logger.debug("{}: a connection went away before it was accepted: {}", owner, ex.toString());
                return null;
            }
            throw ex;
        }
        if (socket != null) {
            StreamTransport.configureAccepted(socket);
        }
        return socket;
    }

    @Override
    public SelectableChannel channel() {
        return this.server;
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return this.server.getLocalAddress();
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new IllegalStateException("a listener has no bytes to read");
    }

    @Override
    public int write(ByteBuffer src) {
        throw new IllegalStateException("a listener has no bytes to write");
    }

    @Override
    public int interestOps(boolean readable, boolean writable) {
        return readable ? SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    public void close() {
        SocketAddress address;
        try {
            address = this.server.getLocalAddress();
        }
        catch (IOException ex) {
            address = null;
        }
        Sockets.closeQuietly(this.server);
        if (address instanceof UnixDomainSocketAddress path) {
            try {
                Files.deleteIfExists(path.getPath());
            }
            catch (IOException ex) {
                logger.debug("could not delete the socket file {}", path, ex);
            }
        }
    }

}
