package io.github.asyncore.autoconfigure.readme;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import io.github.asyncore.core.BufferedDispatcher;

public class QueryHandler extends BufferedDispatcher {

    private final ByteArrayOutputStream query = new ByteArrayOutputStream();

    public QueryHandler(SocketChannel channel) throws IOException {
        super(channel);
    }

    @Override
    public void handleRead() throws IOException {
        this.query.writeBytes(recv(64 * 1024)); // the query is everything until the client's end-of-stream
    }

    @Override
    public void handleEndOfStream() throws IOException {
        // the client half-closed: it sends nothing more but still reads, so answer, then close
        send(("got " + this.query.size() + " bytes\n").getBytes(StandardCharsets.US_ASCII));
        closeWhenDone();
    }

}
