package io.github.asyncore.core.internal.transport;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * A stream connection: one accepted by a listener, or a client's, TCP or Unix domain. (While its connect
 * is pending, the channel's core has the selector wait for the connect instead of input or room to write.)
 */
public final class StreamTransport extends ByteTransport<SocketChannel> {

    private StreamTransport(SocketChannel socket) {
        super(socket);
    }

    /**
     * Adopts an open socket, accepted or connected (or connecting) by someone else.
     * @param socket the socket, made non-blocking already
     * @return the transport
     */
    public static StreamTransport adopt(SocketChannel socket) {
        return new StreamTransport(socket);
    }

    /**
     * Opens a client socket (non-blocking, {@code TCP_NODELAY}) bound as asked; {@link #connect} starts the
     * connect. A failure closes the socket.
     * @param family the protocol family
     * @param reuseAddress whether to set {@code SO_REUSEADDR}
     * @param bindAddress the local address, or {@code null} for any
     * @return the transport
     * @throws IOException when the socket cannot be opened or bound
     */
    public static StreamTransport open(ProtocolFamily family, boolean reuseAddress, SocketAddress bindAddress)
            throws IOException {
        SocketChannel socket = SocketChannel.open(family);
        try {
            socket.configureBlocking(false);
            Sockets.configureStream(socket);
            if (reuseAddress) {
                Sockets.reuseAddress(socket, family);
            }
            if (bindAddress != null) {
                socket.bind(bindAddress);
            }
        }
        catch (IOException | RuntimeException ex) {
            Sockets.closeQuietly(socket);
            throw ex;
        }
        return new StreamTransport(socket);
    }

    /**
     * Prepares an accepted socket for a dispatcher: non-blocking, {@code TCP_NODELAY}; closes it on failure.
     * @param socket what the server socket accepted
     * @throws IOException when it cannot be configured
     */
    static void configureAccepted(SocketChannel socket) throws IOException {
        try {
            socket.configureBlocking(false);
            Sockets.configureStream(socket);
        }
        catch (IOException ex) {
            Sockets.closeQuietly(socket);
            throw ex;
        }
    }

    /**
     * Starts connecting without waiting.
     * @param address the peer
     * @return whether the connect is still pending ({@code false}: connected at once, as Unix-domain
     *         sockets usually are)
     * @throws IOException when the connect fails at once
     */
    public boolean connect(SocketAddress address) throws IOException {
        return !this.socket.connect(address);
    }

    /**
     * Completes a pending connect, once the selector reported it ready.
     * @return whether the socket is connected now
     * @throws IOException when the connect failed (the JDK has closed the socket)
     */
    public boolean finishConnect() throws IOException {
        return this.socket.finishConnect();
    }

    /** @return whether the socket is connected */
    public boolean isConnected() {
        return this.socket.isConnected();
    }

    /**
     * @return the peer's address
     * @throws IOException when the socket cannot tell
     */
    public SocketAddress remoteAddress() throws IOException {
        return this.socket.getRemoteAddress();
    }

    /**
     * Sends end-of-stream (a TCP FIN): the peer reads the end while this side goes on reading.
     * @throws IOException on socket errors
     */
    public void shutdownOutput() throws IOException {
        this.socket.shutdownOutput();
    }

    /**
     * Makes the coming close reset the connection ({@code SO_LINGER} zero): the peer sees a reset and
     * unwritten output is dropped. A Unix-domain socket has no linger: its close is a plain close.
     * @throws IOException on socket errors
     */
    public void resetOnClose() throws IOException {
        if (this.socket.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
            this.socket.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
    }

}
