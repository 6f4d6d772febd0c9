package io.github.asyncore.core.internal.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * What the two transports with bytes of their own share, a stream connection and a datagram socket: read
 * and write on the JDK channel, input and output readiness, the local address, a quiet close. Not API.
 * @param <C> the JDK channel
 */
abstract class ByteTransport<C extends SelectableChannel & ByteChannel & NetworkChannel> implements Transport {

    /** The JDK channel; the subclasses add what is particular to their kind. */
    final C socket;

    ByteTransport(C socket) {
        this.socket = socket;
    }

    @Override
    public final SelectableChannel channel() {
        return this.socket;
    }

    @Override
    public final SocketAddress localAddress() throws IOException {
        return this.socket.getLocalAddress();
    }

    @Override
    public final int read(ByteBuffer dst) throws IOException {
        return this.socket.read(dst);
    }

    @Override
    public final int write(ByteBuffer src) throws IOException {
        return this.socket.write(src);
    }

    @Override
    public final int interestOps(boolean readable, boolean writable) {
        return (readable ? SelectionKey.OP_READ : 0) | (writable ? SelectionKey.OP_WRITE : 0);
    }

    @Override
    public final void close() {
        Sockets.closeQuietly(this.socket);
    }

}
