package io.github.asyncore.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peers that do not finish a proper handshake are closed with a logged reason, and the loop keeps
 * serving everyone else.
 */
class TlsHandshakeFailureTest {

    private static final TestPki pki = TestPki.get();

    private final LoopFixture fixture = LoopFixture.started("tls-failure");

    private final SSLContext clientContext = TestPki.context(null, pki.ca);

    private final LogCapture log = LogCapture.of(Dispatcher.class);

    @AfterEach
    void close() {
        this.log.close();
        this.fixture.close();
    }

    @Test
    void aPeerThatStallsInTheHandshakeIsClosedByTheHandshakeTimeout() throws Exception {
        TlsPeers.Listener listener = listen(Duration.ofMillis(300));
        try (Socket stalled = new Socket("127.0.0.1", listener.port())) {
            stalled.setSoTimeout(TlsPeers.READ_TIMEOUT_MILLIS);
            long start = System.nanoTime();
            assertThat(readUntilClosed(stalled.getInputStream())).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        await().atMost(LoopFixture.WAIT).untilAsserted(() -> assertThat(this.log.joined())
            .containsPattern("WARN <Echo listener#\\d+ (connected|closed) 127\\.0\\.0\\.1:\\d+>: "
                    + "javax.net.ssl.SSLHandshakeException: TLS handshake with 127\\.0\\.0\\.1:\\d+ not finished within 300 ms"));
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isEqualTo(1);
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosedWithAReasonWhileOthersAreServed() throws Exception {
        TlsPeers.Listener listener = listen(Duration.ofSeconds(30));
        try (Socket garbage = new Socket("127.0.0.1", listener.port());
                SSLSocket good = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            garbage.setSoTimeout(TlsPeers.READ_TIMEOUT_MILLIS);
            good.startHandshake(); // both connections are open now
            garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            garbage.getOutputStream().flush();
            for (int i = 0; i < 3; i++) {
                good.getOutputStream().write(("still served " + i).getBytes(StandardCharsets.UTF_8));
                good.getOutputStream().flush();
                assertThat(new String(good.getInputStream().readNBytes(14), StandardCharsets.UTF_8))
                    .isEqualTo("still served " + i);
            }
            assertThat(readUntilClosed(garbage.getInputStream())).isTrue();
        }
        await().atMost(LoopFixture.WAIT).untilAsserted(() -> assertThat(this.log.joined())
            .containsPattern("WARN <Echo listener#\\d+ \\w+ 127\\.0\\.0\\.1:\\d+>: javax\\.net\\.ssl\\.SSL\\w*Exception: "
                    + ".*(SSL|TLS).*; closing"));
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isEqualTo(1);
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isEqualTo(1);
    }

    @Test
    void fiftyGarbageHandshakesMakeOneWarningAndTheRestAreCountedNotLogged() throws Exception {
        TlsPeers.Listener listener = listen(Duration.ofSeconds(30));
        byte[] garbage = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 50; i++) {
            try (Socket client = new Socket("127.0.0.1", listener.port())) {
                client.setSoTimeout(TlsPeers.READ_TIMEOUT_MILLIS);
                client.getOutputStream().write(garbage);
                client.getOutputStream().flush();
                assertThat(readUntilClosed(client.getInputStream())).isTrue();
            }
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().tlsHandshakeFailures() == 50);
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
        assertThat(this.log.messages()).filteredOn((message) -> message.startsWith("WARN"))
            .singleElement()
            .asString()
            .containsPattern("WARN <Echo listener#\\d+ \\w+ 127\\.0\\.0\\.1:\\d+>: "
                    + "javax\\.net\\.ssl\\.SSL\\w*Exception: ")
            .endsWith("; closing. Failed TLS handshakes are logged at most every 10 s per loop (counted in"
                    + " tlsHandshakeFailures); 0 more since the last log");
        assertThat(this.fixture.onLoop(() -> this.fixture.map.statistics().tlsHandshakeFailureLog.held()))
            .as("failures held back, to be named in the next line logged")
            .isEqualTo(49);
    }

    @Test
    void aTls12RenegotiationIsRefusedAndClosesTheChannel() throws Exception {
        TlsPeers.Listener listener = listen(Duration.ofSeconds(30));
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port(), (parameters) -> {
            parameters.setProtocols(new String[] { "TLSv1.2" });
            return parameters;
        })) {
            client.getOutputStream().write("before".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            assertThat(new String(client.getInputStream().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("before");
            try {
                client.startHandshake(); // asks to renegotiate
                client.getOutputStream().write("after".getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().flush();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            catch (IOException expected) {
                // refused: the server closed the connection
            }
        }
        await().atMost(LoopFixture.WAIT).untilAsserted(() -> assertThat(this.log.joined())
            .contains("the peer asked to renegotiate the TLSv1.2 session; renegotiation is refused; closing"));
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
    }

    @Test
    void aPeerThatConnectsAndLeavesWithoutAWordIsNeitherLoggedNorCounted() throws Exception {
        TlsPeers.Listener listener = listen(Duration.ofSeconds(30));
        try (Socket probe = new Socket("127.0.0.1", listener.port())) {
            await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 2);
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isZero();
        assertThat(this.log.messages()).noneMatch((message) -> message.startsWith("WARN"));
    }

    @Test
    void aFailedHandshakeClosesTheChannelOnceEvenWhenHandleErrorDoesNotClose() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<CloseReason> closes = new CopyOnWriteArrayList<>();
        this.fixture.map.addChannelListener(new ChannelListener() {
            @Override
            public void channelClosed(ChannelSnapshot channel, CloseReason reason) {
                if (channel.kind() == ChannelKind.CONNECTION) {
                    closes.add(reason);
                }
            }
        });
        TlsSettings settings = TlsSettings.server(TestPki.context(pki.server)).withHandshakeTimeout(Duration.ofSeconds(30));
        TlsPeers.Listener listener = this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map, settings,
                (channel) -> new Greeter(channel, errors)));
        try (Socket garbage = new Socket("127.0.0.1", listener.port())) {
            garbage.setSoTimeout(TlsPeers.READ_TIMEOUT_MILLIS);
            garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            garbage.getOutputStream().flush();
            assertThat(readUntilClosed(garbage.getInputStream())).as("closed by the server").isTrue();
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
        assertThat(errors).as("handleError, which does not close").singleElement()
            .isInstanceOf(javax.net.ssl.SSLException.class);
        assertThat(closes).as("closes heard for the connection").containsExactly(CloseReason.ERROR);
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isEqualTo(1);
    }

    private TlsPeers.Listener listen(Duration handshakeTimeout) {
        TlsSettings settings = TlsSettings.server(TestPki.context(pki.server)).withHandshakeTimeout(handshakeTimeout);
        return this.fixture.onLoop(() -> {
            TlsPeers.Listener listener = new TlsPeers.Listener(this.fixture.map, settings, TlsPeers.Echo::new);
            listener.setName("listener");
            return listener;
        });
    }

    /**
     * Greets each client (a send while the handshake still runs) and records errors without closing: the
     * channel must close all the same once its handshake fails.
     */
    static final class Greeter extends BufferedDispatcher {

        private final List<Throwable> errors;

        Greeter(SocketChannel channel, List<Throwable> errors) throws IOException {
            super(channel);
            this.errors = errors;
            send("hello\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void handleRead() throws IOException {
            send(recv());
        }

        @Override
        public void handleError(Throwable error) {
            this.errors.add(error);
        }

    }

    /** @return whether the server closed the connection (end-of-stream or a reset) within the read timeout */
    private static boolean readUntilClosed(InputStream in) {
        try {
            while (in.read() >= 0) {
                // an alert, perhaps: read on until the end
            }
            return true;
        }
        catch (java.net.SocketTimeoutException ex) {
            return false;
        }
        catch (IOException ex) {
            return true; // reset
        }
    }

}
