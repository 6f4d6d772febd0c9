package io.github.asyncore.autoconfigure.readme;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

import io.github.asyncore.core.BufferedDispatcher;

public class QueryClient extends BufferedDispatcher {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private final CompletableFuture<byte[]> answer = new CompletableFuture<>();

    public QueryClient(SocketAddress server, byte[] query) throws IOException {
        createSocket();
        connect(server);
        send(query);      // queued until the connect completes
        shutdownOutput(); // then end-of-stream: "that was the whole query"; reading goes on
    }

    public CompletableFuture<byte[]> answer() {
        return this.answer;
    }

    @Override
    public void handleRead() throws IOException {
        this.received.writeBytes(recv(64 * 1024));
    }

    @Override
    public void handleEndOfStream() throws IOException {
        this.answer.complete(this.received.toByteArray()); // the server said all it had to say
        super.handleEndOfStream();                         // and this side closes too
    }

}
