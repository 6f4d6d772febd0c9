package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.Dispatcher;
import org.springframework.stereotype.Component;

@Component
public class EchoServer extends Dispatcher {

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        new EchoHandler(channel);
    }

}
