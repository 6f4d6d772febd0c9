package io.github.asyncore.demo.echo;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.BufferedDispatcher;

/**
 * One echo connection: what it reads it sends back. A client that does not read its echo makes the
 * output pass the high water mark, and the handler stops reading until the client catches up.
 */
public class EchoHandler extends BufferedDispatcher {

    public EchoHandler(SocketChannel channel) throws IOException {
        super(channel);
    }

    @Override
    public void handleRead() throws IOException {
        send(recv()); // recv() lends the loop's buffer: nothing is allocated per message
    }

}
