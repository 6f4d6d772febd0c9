package io.github.asyncore.demo.echo;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.Dispatcher;

import org.springframework.stereotype.Component;

/**
 * TCP echo: every byte a client sends comes back. Listens where
 * {@code asyncore.dispatchers.echoServer.address} says (7007 by default).
 */
@Component
public class EchoServer extends Dispatcher {

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        new EchoHandler(channel);
    }

}
