package io.github.asyncore.core;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** A connection that reads and drops what its peer sends: a member of a broadcast, a subscriber. */
class DiscardingConnection extends BufferedDispatcher {

    DiscardingConnection(SocketChannel channel) throws IOException {
        super(channel);
    }

    @Override
    public void handleRead() throws IOException {
        recv();
    }

}
