package io.github.asyncore.core;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS round trips over loopback: our TLS listener against the JDK's blocking {@link SSLSocket} and
 * against our own TLS client dispatcher, with {@link BufferedDispatcher} and {@link AsyncChat}
 * handlers that do not know about TLS, and 16 MiB each way.
 */
class TlsEchoTest {

    private static final TestPki pki = TestPki.get();

    private final LoopFixture fixture = LoopFixture.started("tls-echo");

    private final SSLContext serverContext = serverContext(pki);

    private final SSLContext clientContext = TestPki.context(null, pki.ca);

    /** The listeners' context: the JDK's here, Conscrypt's in {@link TlsEchoConscryptTest}. */
    SSLContext serverContext(TestPki pki) {
        return TestPki.context(pki.server);
    }

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void jdkClientEchoesThroughABufferedDispatcherThatDoesNotKnowTls() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.Echo::new);
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            client.startHandshake();
            client.getOutputStream().write("hello tls".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            assertThat(new String(client.getInputStream().readNBytes(9), StandardCharsets.UTF_8)).isEqualTo("hello tls");
            ChannelSnapshot connection = connection();
            assertThat(connection.isTls()).isTrue();
            assertThat(connection.tls().handshakeComplete()).isTrue();
            assertThat(connection.tls().protocol()).isEqualTo(client.getSession().getProtocol());
            assertThat(connection.tls().cipherSuite()).isEqualTo(client.getSession().getCipherSuite());
            assertThat(connection.bytesRead()).isGreaterThan(9); // ciphertext, handshake included
        }
        assertThat(this.fixture.map.snapshot()).filteredOn((channel) -> channel.kind() == ChannelKind.LISTENER)
            .singleElement()
            .satisfies((snapshot) -> {
                assertThat(snapshot.isTls()).isTrue();
                assertThat(snapshot.tls().protocol()).isNull();
            });
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isEqualTo(1);
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isZero();
    }

    @Test
    void ownClientDispatcherConnectsWhenTheHandshakeHasFinished() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.Echo::new);
        byte[] message = "ping over our own TLS client".getBytes(StandardCharsets.UTF_8);
        TlsPeers.Client client = this.fixture.onLoop(() -> {
            TlsPeers.Client created = new TlsPeers.Client(this.fixture.map, TlsSettings.client(this.clientContext),
                    message);
            created.connect(new InetSocketAddress("127.0.0.1", listener.port()));
            return created;
        });
        TlsStatus atConnect = client.connected.get(10, TimeUnit.SECONDS);
        assertThat(atConnect.handshakeComplete()).isTrue();
        assertThat(atConnect.protocol()).isEqualTo("TLSv1.3");
        assertThat(client.result.get(10, TimeUnit.SECONDS)).isEqualTo(message);
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().tlsHandshakes() == 2);
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isZero();
    }

    @Test
    void ownClientSpeaksTls12WhenThatIsAllTheServerOffers() throws Exception {
        TlsPeers.Listener listener = listen(TlsSettings.server(this.serverContext).withProtocols("TLSv1.2"),
                TlsPeers.Echo::new);
        byte[] message = "ping over TLS 1.2".getBytes(StandardCharsets.UTF_8);
        TlsPeers.Client client = this.fixture.onLoop(() -> {
            TlsPeers.Client created = new TlsPeers.Client(this.fixture.map, TlsSettings.client(this.clientContext),
                    message);
            created.connect(new InetSocketAddress("localhost", listener.port()));
            return created;
        });
        assertThat(client.result.get(10, TimeUnit.SECONDS)).isEqualTo(message);
        assertThat(client.connected.get().protocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void aTls13KeyUpdateIsAnsweredAndTheEchoGoesOn() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.Echo::new);
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            for (int round = 0; round < 3; round++) {
                byte[] message = ("round " + round).getBytes(StandardCharsets.UTF_8);
                client.getOutputStream().write(message);
                client.getOutputStream().flush();
                assertThat(client.getInputStream().readNBytes(message.length)).isEqualTo(message);
                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
                client.startHandshake(); // on TLS 1.3 the JDK sends a KeyUpdate that asks for one back
            }
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isEqualTo(1);
        assertThat(this.fixture.loop.snapshot().handlerErrors()).isZero();
    }

    @Test
    void connectionsSpreadOverSeveralLoopsEachHandshakeOnTheirOwnLoop() throws Exception {
        EventLoopGroup group = new EventLoopGroup("tls-group", 2);
        group.start();
        try {
            TlsPeers.Listener listener = LoopFixture.onLoop(group.acceptor().eventLoop(),
                    () -> new TlsPeers.Listener(group.acceptor(), TlsSettings.server(this.serverContext),
                            TlsPeers.Echo::new));
            try (SSLSocket first = TlsPeers.jdkClient(this.clientContext, listener.port());
                    SSLSocket second = TlsPeers.jdkClient(this.clientContext, listener.port())) {
                for (SSLSocket client : java.util.List.of(first, second)) {
                    client.getOutputStream().write("spread".getBytes(StandardCharsets.UTF_8));
                    client.getOutputStream().flush();
                    assertThat(client.getInputStream().readNBytes(6)).isEqualTo("spread".getBytes(StandardCharsets.UTF_8));
                }
                assertThat(group.loopSnapshots()).extracting(LoopSnapshot::tlsHandshakes).containsExactly(1L, 1L);
                assertThat(group.snapshot()).filteredOn((channel) -> channel.kind() == ChannelKind.CONNECTION)
                    .extracting(ChannelSnapshot::loop)
                    .containsExactlyInAnyOrder("tls-group-0", "tls-group-1");
            }
        }
        finally {
            group.close();
        }
    }

    @Test
    void aServerThatGreetsFirstQueuesItsGreetingUntilTheHandshakeHasFinished() throws Exception {
        TlsPeers.Listener listener = listen((channel) -> new TlsPeers.LineEcho(channel) {

            {
                push("220 welcome\n".getBytes(StandardCharsets.UTF_8)); // in the constructor, before any handshake
            }

        });
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("220 welcome");
            client.getOutputStream().write("HELO\n".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            assertThat(lines.readLine()).isEqualTo("HELO");
        }
    }

    @Test
    void whatAClientSendsBeforeItsHandshakeFinishedTravelsEncryptedAfterIt() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.Echo::new);
        TlsPeers.Client client = this.fixture.onLoop(() -> {
            TlsPeers.Client created = new TlsPeers.Client(this.fixture.map, TlsSettings.client(this.clientContext),
                    "second".getBytes(StandardCharsets.UTF_8), 11);
            created.connect(new InetSocketAddress("127.0.0.1", listener.port()));
            created.send("first".getBytes(StandardCharsets.UTF_8)); // queued: not connected yet
            assertThat(created.isConnected()).isFalse();
            return created;
        });
        assertThat(new String(client.result.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("firstsecond");
    }

    @Test
    void asyncChatFramesLinesOfPlaintext() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.LineEcho::new);
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            OutputStream out = client.getOutputStream();
            out.write("first line\nsecond ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("first line");
            out.write("line\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(lines.readLine()).isEqualTo("second line");
        }
    }

    @Test
    void sixteenMebibytesEachWayArriveIntact() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.Echo::new);
        byte[] data = new byte[16 * 1024 * 1024];
        new Random(7).nextBytes(data);
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            client.startHandshake();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int offset = 0; offset < data.length; offset += 100_000) {
                        out.write(data, offset, Math.min(100_000, data.length - offset));
                    }
                    out.flush();
                }
                catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            InputStream in = client.getInputStream();
            byte[] echoed = in.readNBytes(data.length);
            writer.get(60, TimeUnit.SECONDS);
            assertThat(echoed.length).isEqualTo(data.length);
            assertThat(java.util.Arrays.mismatch(echoed, data)).as("first differing byte").isEqualTo(-1);
        }
    }

    @Test
    void closeSendsCloseNotifySoTheJdkClientSeesAnOrderlyEnd() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.Echo::new);
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            client.getOutputStream().write('x');
            client.getOutputStream().flush();
            assertThat(client.getInputStream().read()).isEqualTo('x');
            this.fixture.map.find(connection().id()).orElseThrow().close();
            assertThat(client.getInputStream().read()).isEqualTo(-1); // close_notify: an orderly end, not an error
        }
    }

    @Test
    void theHandshakeRunsWhileTheHandlerIsNotReadableAndReadableKeepsItsMeaning() throws Exception {
        AtomicBoolean reading = new AtomicBoolean();
        TlsPeers.Listener listener = listen((channel) -> new BufferedDispatcher(channel) {

            @Override
            public boolean readable() {
                return reading.get();
            }

            @Override
            public void handleRead() throws IOException {
                send(recv());
            }

        });
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            client.startHandshake(); // the layer reads the client's handshake although the handler does not
            client.getOutputStream().write("waits".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            ChannelSnapshot connection = connection();
            assertThat(connection.readable()).isFalse();
            reading.set(true);
            this.fixture.loop.wakeup(); // the answer of readable() changed outside the channel's handlers
            assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("waits");
        }
    }

    @Test
    void plaintextThatDidNotFitTheHandlersBufferIsDeliveredWithoutNewInput() throws Exception {
        TlsPeers.Listener listener = listen((channel) -> new BufferedDispatcher(channel) {

            @Override
            public void handleRead() throws IOException {
                byte[] data = recv(5); // one TLS record holds far more: the layer keeps the rest
                if (data.length > 0) {
                    send(data);
                }
            }

        });
        byte[] message = new byte[1000];
        new Random(3).nextBytes(message);
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            client.getOutputStream().write(message); // one record
            client.getOutputStream().flush();
            assertThat(client.getInputStream().readNBytes(message.length)).isEqualTo(message);
        }
    }

    private ChannelSnapshot connection() {
        return await().atMost(LoopFixture.WAIT)
            .until(() -> this.fixture.map.snapshot()
                .stream()
                .filter((channel) -> channel.kind() == ChannelKind.CONNECTION)
                .filter((channel) -> channel.tls() != null && channel.tls().handshakeComplete())
                .findFirst()
                .orElse(null), (snapshot) -> snapshot != null);
    }

    private TlsPeers.Listener listen(TlsPeers.Factory factory) {
        return listen(TlsSettings.server(this.serverContext), factory);
    }

    private TlsPeers.Listener listen(TlsSettings settings, TlsPeers.Factory factory) {
        return this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map, settings, factory));
    }


    /**
     * Half-close over TLS, both sides ours: the client shuts its output down after its request (close_notify,
     * then end-of-stream, after the last record) and still reads the whole echo, which the server flushes on
     * the end-of-stream before it closes.
     */
    @Test
    void aClientThatHalfClosesAfterItsRequestGetsTheWholeEchoOverTls() throws Exception {
        TlsPeers.Listener listener = listen(TlsPeers.Echo::new);
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
