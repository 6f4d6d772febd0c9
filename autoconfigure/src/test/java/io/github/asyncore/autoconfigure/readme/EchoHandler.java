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
        byte[] data = recv(8192);
        if (data.length > 0) {
            send(data);
        }
    }

}
