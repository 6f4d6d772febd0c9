package io.github.asyncore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Half-close over TLS, both sides ours: a client sends a request, shuts its output down (close_notify,
 * then end-of-stream, after the last record) and still reads the whole answer, which the server flushes
 * on the end-of-stream before it closes.
 */
class TlsHalfCloseTest {

    private static final TestPki pki = TestPki.get();

    private final LoopFixture fixture = LoopFixture.started("tls-half-close");

    private final SSLContext serverContext = TestPki.context(pki.server);

    private final SSLContext clientContext = TestPki.context(null, pki.ca);

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestGetsTheWholeEchoOverTls() throws Exception {
        TlsPeers.Listener listener = this.fixture
            .onLoop(() -> new TlsPeers.Listener(this.fixture.map, TlsSettings.server(this.serverContext),
                    TlsPeers.Echo::new));
        byte[] request = new byte[2 * 1024 * 1024];
        new Random(11).nextBytes(request);
        HalfClosingClient client = this.fixture.onLoop(() -> {
            HalfClosingClient created = new HalfClosingClient(this.fixture.map, request);
            created.setTls(TlsSettings.client(this.clientContext));
            created.connect(new InetSocketAddress("127.0.0.1", listener.port()));
            return created;
        });
        assertThat(client.answer.get(20, TimeUnit.SECONDS)).isEqualTo(request);
        assertThat(client.isOutputShutdown()).isTrue();
        assertThat(this.fixture.loop.snapshot().handlerErrors()).isZero();
    }

    /** Sends its request when connected, half-closes, and collects the answer until end-of-stream. */
    static final class HalfClosingClient extends BufferedDispatcher {

        private final byte[] request;

        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        final CompletableFuture<byte[]> answer = new CompletableFuture<>();

        HalfClosingClient(ChannelMap map, byte[] request) throws IOException {
            super(map);
            this.request = request;
            createSocket();
        }

        @Override
        public void handleConnect() throws IOException {
            send(this.request);
            shutdownOutput(); // after the request: close_notify and end-of-stream once it is all written
        }

        @Override
        public void handleRead() throws IOException {
            ByteBuffer data = recv();
            while (data.hasRemaining()) {
                this.received.write(data.get());
            }
        }

        @Override
        public void handleEndOfStream() {
            this.answer.complete(this.received.toByteArray());
            close();
        }

        @Override
        public void handleError(Throwable error) {
            this.answer.completeExceptionally(error);
            close();
        }

    }

}
