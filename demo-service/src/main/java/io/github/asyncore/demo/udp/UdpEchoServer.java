package io.github.asyncore.demo.udp;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.github.asyncore.core.Dispatcher;

import org.springframework.stereotype.Component;

/**
 * UDP echo: each datagram goes back to its sender. Bound where
 * {@code asyncore.dispatchers.udpEchoServer.address} says (7009, {@code type: datagram}).
 */
@Component
public class UdpEchoServer extends Dispatcher {

    /** Room for the largest UDP payload (65,507 bytes over IPv4). */
    private final ByteBuffer datagram = ByteBuffer.allocate(64 * 1024);

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public void handleRead() throws IOException {
        this.datagram.clear();
        SocketAddress sender = receiveFrom(this.datagram);
        if (sender != null) {
            sendTo(this.datagram.flip(), sender);
        }
    }

}
