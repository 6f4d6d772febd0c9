package io.github.asyncore.core.internal.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A datagram (UDP) socket: opened and bound at once, "connected" only in that it fixes the peer for
 * {@link #read} and {@link #write}; {@link #send} and {@link #receive} name the peer per datagram.
 */
public final class DatagramTransport extends ByteTransport<DatagramChannel> {

    private DatagramTransport(DatagramChannel socket) {
        super(socket);
    }

    /**
     * Adopts a datagram socket someone else opened.
     * @param socket the socket, made non-blocking already
     * @return the transport
     */
    public static DatagramTransport adopt(DatagramChannel socket) {
        return new DatagramTransport(socket);
    }

    /**
     * Opens a non-blocking datagram socket; a failure closes it.
     * @param family the protocol family (the JDK has no Unix-domain datagram sockets)
     * @return the transport
     * @throws IOException when the socket cannot be opened
     */
    public static DatagramTransport open(ProtocolFamily family) throws IOException {
        DatagramChannel socket = DatagramChannel.open(family);
        try {
            socket.configureBlocking(false);
        }
        catch (IOException ex) {
            Sockets.closeQuietly(socket);
            throw ex;
        }
        return new DatagramTransport(socket);
    }

    /**
     * Binds the socket now.
     * @param owner who binds, for the message of a bind failure
     * @param address the local address
     * @throws BindException naming the address when it is in use or not available
     * @throws IOException on other socket errors
     */
    public void bind(Object owner, SocketAddress address) throws IOException {
        try {
            this.socket.bind(address);
        }
        catch (BindException ex) {
            throw Sockets.bindFailure(owner, "bind", address, ex);
        }
    }

    /**
     * Fixes the peer for {@link #read} and {@link #write}.
     * @param address the peer
     * @throws IOException on socket errors
     */
    public void connect(SocketAddress address) throws IOException {
        this.socket.connect(address);
    }

    /** @return whether the peer is fixed */
    public boolean isConnected() {
        return this.socket.isConnected();
    }

    /**
     * @return the fixed peer, or {@code null}
     * @throws IOException when the socket cannot tell
     */
    public SocketAddress remoteAddress() throws IOException {
        return this.socket.getRemoteAddress();
    }

    /**
     * Sends one datagram, whole or not at all.
     * @param data the datagram
     * @param target where to
     * @return the bytes sent, 0 when the socket buffer had no room
     * @throws IOException on socket errors
     */
    public int send(ByteBuffer data, SocketAddress target) throws IOException {
        return this.socket.send(data, target);
    }

    /**
     * Receives one datagram, cut to the buffer's room.
     * @param dst where to put it
     * @return the sender, or {@code null} when none was waiting
     * @throws IOException on socket errors
     */
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        return this.socket.receive(dst);
    }

}
