package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.BufferedDispatcher;

public class EchoHandler extends BufferedDispatcher {

    public EchoHandler(SocketChannel channel) throws IOException {
        super(channel);
    }

    @Override
    public void handleRead() throws IOException {
        send(recv()); // recv() lends the loop's buffer: nothing is allocated per message
    }

}
