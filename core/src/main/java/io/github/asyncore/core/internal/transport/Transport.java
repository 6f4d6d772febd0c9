package io.github.asyncore.core.internal.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * One open JDK socket of one kind, as a channel's core uses it: bytes in and out, what to register with
 * the selector, and the close. The kinds are {@link StreamTransport} (a connection or a client, TCP or
 * Unix domain), {@link ListenerTransport} (a server socket) and {@link DatagramTransport} (UDP), the first and
 * last on a common {@link ByteTransport}; each holds
 * what differs between them, so that the core has no branches on the socket's type. Loop thread, unless a
 * method says otherwise.
 */
public interface Transport {

    /** @return the JDK channel, to register with the selector; any thread */
    SelectableChannel channel();

    /**
     * @return the address the socket is bound to, or {@code null} when it is not bound yet
     * @throws IOException when the socket cannot tell
     */
    SocketAddress localAddress() throws IOException;

    /**
     * Reads what the socket has.
     * @param dst where to put the bytes
     * @return bytes read, 0 when none were waiting, -1 at end-of-stream
     * @throws IOException on socket errors
     * @throws IllegalStateException when the socket kind has no byte stream (a listener)
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes what the socket takes now.
     * @param src the bytes; its position advances past those written
     * @return bytes written, 0 when the socket buffer is full
     * @throws IOException on socket errors
     * @throws IllegalStateException when the socket kind has no byte stream (a listener)
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * @param readable whether the channel wants input (a listener: connections)
     * @param writable whether the channel wants to write
     * @return the selector operations that wait for that on this socket kind
     */
    int interestOps(boolean readable, boolean writable);

    /** Closes the socket; errors are logged at debug level, as nothing can be done about them. */
    void close();

}
