package io.github.asyncore.demo.udp;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.github.asyncore.core.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * UDP echo: each datagram goes back to its sender. Bound where
 * {@code asyncore.dispatchers.udpEchoServer.address} says (7009, {@code type: datagram}). A datagram
 * longer than the bean's {@code receive-buffer-size} is dropped with a logged reason rather than echoed
 * cut short.
 */
@Component
public class UdpEchoServer extends Dispatcher {

    private static final Logger logger = LoggerFactory.getLogger(UdpEchoServer.class);

    private ByteBuffer datagram;

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public void handleRead() throws IOException {
        int limit = getSettings().receiveBufferSize();
        if (this.datagram == null || this.datagram.capacity() != limit + 1) {
            this.datagram = ByteBuffer.allocate(limit + 1); // one byte more tells a datagram that did not fit
        }
        this.datagram.clear();
        SocketAddress sender = receiveFrom(this.datagram);
        if (sender == null) {
            return;
        }
        if (this.datagram.position() > limit) {
            logger.warn("{}: dropped a datagram from {} longer than receive-buffer-size ({} bytes)", this,
                    format(sender), limit);
            return;
        }
        sendTo(this.datagram.flip(), sender);
    }

}
