package io.github.asyncore.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.asyncore.core.ReconnectStatus.State;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link Reconnector} over real loopback sockets: the server is a plain JDK server socket (with
 * {@code SO_REUSEADDR}, so that it can come back on the same port), the client an {@link AsyncChat}.
 */
class ReconnectorTest {

    /** Small waits, so that the tests see several of them: 50, 100, 200, 400, 400 ... ms, up to 20 % less. */
    private static final ReconnectPolicy POLICY = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(400),
            2.0, 0.2);

    /** What a timer, the loop and a busy machine may add to a wait. */
    private static final Duration SLACK = Duration.ofMillis(600);

    private final LoopFixture fixture = LoopFixture.started("reconnect");

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        this.fixture.close();
        for (AutoCloseable resource : this.resources) {
            resource.close();
        }
    }

    @Test
    void reconnectsWhenTheServerClosesTheConnection() throws Exception {
        PlainServer server = server(0);
        LineClient client = client();
        Reconnector reconnector = new Reconnector(client, server.address(), SocketType.STREAM, POLICY);
        try (LogCapture log = LogCapture.of(Reconnector.class)) {
            reconnector.start();
            PlainServer.Peer first = server.accept();
            awaitConnects(reconnector, 1);
            assertThat(client.push(line("before"))).isTrue();
            assertThat(first.readLine()).isEqualTo("before");

            first.close();
            PlainServer.Peer second = server.accept();
            ReconnectStatus status = awaitConnects(reconnector, 2);

            assertThat(status.failedAttempts()).isZero();
            assertThat(status.lastFailure()).isEqualTo("connection closed (PEER)");
            assertThat(status.nextAttempt()).isNull();
            assertThat(client.push(line("after"))).isTrue();
            assertThat(second.readLine()).isEqualTo("after");
            assertThat(client.connects.get()).as("handleConnect on every connect").isEqualTo(2);
            String where = "127.0.0.1:" + server.address().getPort();
            assertThat(log.messages()).anySatisfy((message) -> assertThat(message)
                .startsWith("INFO LineClient connected to " + where));
            assertThat(log.messages()).anySatisfy((message) -> assertThat(message)
                .startsWith("WARN LineClient lost its connection to " + where + " (PEER); reconnecting in ")
                .endsWith(" ms"));
            assertThat(log.messages()).anySatisfy((message) -> assertThat(message)
                .matches("INFO LineClient reconnected to " + where + " after \\d+ ms and 1 attempts"));
        }
    }

    @Test
    void comesBackWithinTheMaxDelayWhenTheServerIsBoundAgainOnTheSamePort() throws Exception {
        PlainServer server = server(0);
        int port = server.address().getPort();
        LineClient client = client();
        Reconnector reconnector = new Reconnector(client, server.address(), SocketType.STREAM, POLICY);
        try (LogCapture log = LogCapture.of(Reconnector.class)) {
            reconnector.start();
            server.accept();
            awaitConnects(reconnector, 1);

            server.close(); // the listener and its connection: the client reads end-of-stream, then is refused
            ReconnectStatus waiting = await().atMost(LoopFixture.WAIT)
                .until(reconnector::status, (status) -> status.failedAttempts() >= 4);
            assertThat(waiting.lastFailure()).contains("Connection refused");
            assertThat(client.push(line("lost"))).as("refused while disconnected, not queued").isFalse();

            long rebound = System.nanoTime();
            PlainServer again = server(port);
            PlainServer.Peer peer = again.accept();
            awaitConnects(reconnector, 2);
            long back = System.nanoTime() - rebound;

            assertThat(Duration.ofNanos(back)).as("back %d ms after the server was", back / 1_000_000)
                .isLessThanOrEqualTo(POLICY.maxDelay().plus(SLACK));
            for (int i = 0; i < 100; i++) {
                assertThat(client.push(line("message " + i))).isTrue();
            }
            for (int i = 0; i < 100; i++) {
                assertThat(peer.readLine()).isEqualTo("message " + i);
            }
            assertThat(log.messages()).filteredOn((message) -> message.startsWith("WARN"))
                .as("one warning per outage")
                .singleElement()
                .satisfies((message) -> assertThat(message).contains("lost its connection"));
            assertThat(log.messages()).filteredOn((message) -> message.startsWith("DEBUG"))
                .anySatisfy((message) -> assertThat(message).contains("attempt 2 to connect to 127.0.0.1:" + port)
                    .contains("Connection refused"));
        }
    }

    @Test
    void keepsTryingWhileTheServerIsDownAtTheStartUntilItAppears() throws Exception {
        int port = PlainServer.freePort();
        LineClient client = client();
        Reconnector reconnector = started(client, port, POLICY);

        int[] seen = new int[1];
        ReconnectStatus waiting = await().atMost(LoopFixture.WAIT).until(reconnector::status, (status) -> {
            if (status.state() == State.WAITING && status.failedAttempts() > seen[0]) {
                seen[0] = status.failedAttempts();
            }
            return status.state() == State.WAITING && status.failedAttempts() >= 3;
        });
        assertThat(waiting.connects()).isZero();
        assertThat(waiting.nextAttempt()).isNotNull();
        assertThat(waiting.lastFailure()).isEqualTo("ConnectException: Connection refused");
        assertThat(waiting.remote()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
        assertThat(client.errors).as("each failed attempt reached handleError").hasSizeGreaterThanOrEqualTo(3);
        assertThat(client.push(line("too early"))).isFalse();

        PlainServer server = server(port);
        PlainServer.Peer peer = server.accept();
        ReconnectStatus connected = awaitConnects(reconnector, 1);
        assertThat(connected.failedAttempts()).isZero();
        assertThat(client.push(line("hello"))).isTrue();
        assertThat(peer.readLine()).isEqualTo("hello");
    }

    @Test
    void applicationCloseEndsIt() throws Exception {
        Connected connected = connected(POLICY);
        LineClient client = connected.client();
        Reconnector reconnector = connected.reconnector();

        client.close();

        await().atMost(LoopFixture.WAIT).until(() -> reconnector.status().state() == State.STOPPED);
        assertThat(client.getCloseReason()).isEqualTo(CloseReason.APPLICATION);
        stayStopped(reconnector, client, 1);
    }

    @Test
    void operatorCloseReconnects() throws Exception {
        Connected connected = connected(POLICY);
        PlainServer server = connected.server();
        LineClient client = connected.client();
        Reconnector reconnector = connected.reconnector();

        client.close(CloseReason.OPERATOR);

        PlainServer.Peer peer = server.accept();
        ReconnectStatus status = awaitConnects(reconnector, 2);
        assertThat(status.lastFailure()).isEqualTo("connection closed (OPERATOR)");
        assertThat(client.push(line("back"))).isTrue();
        assertThat(peer.readLine()).isEqualTo("back");
    }

    @Test
    void stopCancelsTheAttemptThatWaits() throws Exception {
        int port = PlainServer.freePort();
        LineClient client = client();
        Reconnector reconnector = started(client, port, POLICY);
        await().atMost(LoopFixture.WAIT).until(() -> reconnector.status().state() == State.WAITING);

        reconnector.stop();

        ReconnectStatus stopped = reconnector.status();
        assertThat(stopped.state()).isEqualTo(State.STOPPED);
        assertThat(stopped.nextAttempt()).isNull();
        server(port);
        stayStopped(reconnector, client, 0);
    }

    @Test
    void stopLeavesAnOpenConnectionOpenAndDoesNotReconnectItLater() throws Exception {
        Connected connected = connected(POLICY);
        LineClient client = connected.client();
        Reconnector reconnector = connected.reconnector();
        PlainServer.Peer peer = connected.peer();

        reconnector.stop();

        assertThat(reconnector.status().state()).isEqualTo(State.STOPPED);
        assertThat(client.push(line("still open"))).isTrue();
        assertThat(peer.readLine()).isEqualTo("still open");
        peer.close();
        await().atMost(LoopFixture.WAIT).until(client::isClosed);
        stayStopped(reconnector, client, 1);
    }

    @Test
    void loopShutdownClosesTheConnectionForGood() throws Exception {
        Connected connected = connected(POLICY);
        LineClient client = connected.client();
        Reconnector reconnector = connected.reconnector();

        this.fixture.loop.shutdownGracefully(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);

        assertThat(client.getCloseReason()).isEqualTo(CloseReason.SHUTDOWN);
        assertThat(reconnector.status().state()).isEqualTo(State.STOPPED);
        runTheLoopAgain(); // a loop that runs again does not bring the client back
        stayStopped(reconnector, client, 1);
    }

    @Test
    void loopShutdownCancelsTheAttemptThatWaits() throws Exception {
        int port = PlainServer.freePort();
        LineClient client = client();
        Reconnector reconnector = started(client, port, POLICY);
        await().atMost(LoopFixture.WAIT).until(() -> reconnector.status().state() == State.WAITING);

        this.fixture.loop.close();

        assertThat(reconnector.status().state()).isEqualTo(State.STOPPED);
        server(port);
        runTheLoopAgain();
        stayStopped(reconnector, client, 0);
    }

    @Test
    void withoutAPolicyItConnectsOnceAndNeverAgain() throws Exception {
        Connected connected = connected(null);
        LineClient client = connected.client();
        Reconnector reconnector = connected.reconnector();
        PlainServer.Peer peer = connected.peer();

        peer.close();

        await().atMost(LoopFixture.WAIT).until(() -> reconnector.status().state() == State.STOPPED);
        assertThat(reconnector.status().lastFailure()).isEqualTo("connection closed (PEER)");
        stayStopped(reconnector, client, 1);
    }

    @Test
    void withoutAPolicyAFailedFirstAttemptStops() throws Exception {
        int port = PlainServer.freePort();
        LineClient client = client();
        Reconnector reconnector = started(client, port, null);

        ReconnectStatus status = await().atMost(LoopFixture.WAIT)
            .until(reconnector::status, (current) -> current.state() == State.STOPPED);
        assertThat(status.failedAttempts()).isEqualTo(1);
        assertThat(status.lastFailure()).contains("Connection refused");
    }

    @Test
    void startsOnceOnADispatcherWithoutAnOpenSocket() throws Exception {
        PlainServer server = server(0);
        LineClient client = client();
        Reconnector reconnector = new Reconnector(client, server.address(), SocketType.STREAM, POLICY);
        assertThat(reconnector.status().state()).as("not started yet").isEqualTo(State.STOPPED);
        reconnector.start();
        assertThatIllegalStateException().isThrownBy(reconnector::start).withMessageContaining("started already");
        server.accept();
        awaitConnects(reconnector, 1);

        LineClient open = client;
        assertThatIllegalStateException()
            .isThrownBy(() -> new Reconnector(open, server.address(), SocketType.STREAM, POLICY).start())
            .withMessageContaining("has an open socket");
    }

    @Test
    void addressesItCannotConnectToAreRefusedUpFront() {
        LineClient client = client();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new Reconnector(client, InetSocketAddress.createUnresolved("no-such-host.invalid", 7),
                    SocketType.STREAM, POLICY))
            .withMessageContaining("cannot resolve no-such-host.invalid");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new Reconnector(client, UnixDomainSocketAddress.of("/tmp/x.sock"),
                    SocketType.DATAGRAM, POLICY))
            .withMessageContaining("Unix-domain datagram");
    }

    @Test
    void reconnectsOverAUnixDomainSocket(@TempDir Path directory) throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(directory.resolve("server.sock"));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        this.resources.add(server);
        server.bind(path);
        server.configureBlocking(false);
        LineClient client = client();
        Reconnector reconnector = new Reconnector(client, path, SocketType.STREAM, POLICY);
        reconnector.start();
        SocketChannel first = await().atMost(LoopFixture.WAIT).until(server::accept, Objects::nonNull);
        this.resources.add(first);
        awaitConnects(reconnector, 1);

        first.close();

        SocketChannel second = await().atMost(LoopFixture.WAIT).until(server::accept, Objects::nonNull);
        this.resources.add(second);
        ReconnectStatus status = awaitConnects(reconnector, 2);
        assertThat(status.remote()).isEqualTo(path);
        assertThat(client.getRemoteAddress()).isEqualTo(path);
    }

    @Test
    void tlsClientReconnectsWithANewHandshake() throws Exception {
        TestPki pki = TestPki.get();
        SSLContext serverContext = TestPki.context(pki.server);
        SSLContext clientContext = TestPki.context(null, pki.ca);
        LoopFixture serverLoop = LoopFixture.started("reconnect-tls-server");
        this.resources.add(serverLoop);
        List<Dispatcher> accepted = new CopyOnWriteArrayList<>();
        TlsPeers.Listener listener = serverLoop.onLoop(() -> new TlsPeers.Listener(serverLoop.map,
                TlsSettings.server(serverContext), (channel) -> {
                    Dispatcher echo = new TlsPeers.LineEcho(channel);
                    accepted.add(echo);
                    return echo;
                }));
        LineClient client = client();
        this.fixture.runOnLoop(() -> client.setTls(TlsSettings.client(clientContext)));
        Reconnector reconnector = new Reconnector(client, new InetSocketAddress("127.0.0.1", listener.port()),
                SocketType.STREAM, POLICY);
        reconnector.start();
        awaitConnects(reconnector, 1);
        assertThat(client.push(line("one"))).isTrue();
        await().atMost(LoopFixture.WAIT).until(() -> client.lines.contains("one"));

        accepted.get(0).close(); // close_notify, then the client reads end-of-stream

        awaitConnects(reconnector, 2);
        assertThat(client.getTlsStatus().handshakeComplete()).isTrue();
        assertThat(client.push(line("two"))).isTrue();
        await().atMost(LoopFixture.WAIT).until(() -> client.lines.contains("two"));
        assertThat(client.lines).containsExactly("one", "two");
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- helpers

    /** A client kept connected to a new server on a free port, once it has connected. */
    private record Connected(PlainServer server, LineClient client, Reconnector reconnector, PlainServer.Peer peer) {
    }

    private Connected connected(ReconnectPolicy policy) throws IOException {
        PlainServer server = server(0);
        LineClient client = client();
        Reconnector reconnector = started(client, server.address().getPort(), policy);
        PlainServer.Peer peer = server.accept();
        awaitConnects(reconnector, 1);
        return new Connected(server, client, reconnector, peer);
    }

    /** @return a started reconnector keeping the client connected to 127.0.0.1:port */
    private static Reconnector started(LineClient client, int port, ReconnectPolicy policy) {
        Reconnector reconnector = new Reconnector(client, new InetSocketAddress("127.0.0.1", port), SocketType.STREAM,
                policy);
        reconnector.start();
        return reconnector;
    }

    private PlainServer server(int port) throws IOException {
        PlainServer server = PlainServer.bind(port);
        this.resources.add(server);
        return server;
    }

    private LineClient client() {
        return new LineClient(this.fixture.map);
    }

    private void runTheLoopAgain() {
        await().atMost(LoopFixture.WAIT).until(() -> !this.fixture.loop.isRunning()); // its thread is on its way out
        this.fixture.loop.start();
    }

    private static ReconnectStatus awaitConnects(Reconnector reconnector, long connects) {
        return await().atMost(LoopFixture.WAIT)
            .until(reconnector::status, (status) -> status.state() == State.CONNECTED && status.connects() == connects);
    }

    /** Watches for three of the policy's longest waits that nothing comes back. */
    private static void stayStopped(Reconnector reconnector, Dispatcher client, long connects) {
        int failed = reconnector.status().failedAttempts();
        await().during(POLICY.maxDelay().multipliedBy(3))
            .atMost(POLICY.maxDelay().multipliedBy(3).plus(LoopFixture.WAIT))
            .until(() -> reconnector.status().state() == State.STOPPED && reconnector.status().connects() == connects
                    && reconnector.status().failedAttempts() == failed && !client.hasSocket());
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A line client that records what it reads, its connects and its errors. */
    static final class LineClient extends AsyncChat {

        final List<String> lines = new CopyOnWriteArrayList<>();

        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        final AtomicInteger connects = new AtomicInteger();

        LineClient(ChannelMap map) {
            super(map);
            setTerminator("\n");
        }

        @Override
        public void handleConnect() {
            this.connects.incrementAndGet();
        }

        @Override
        public void foundTerminator() {
            this.lines.add(new String(takeData(), StandardCharsets.ISO_8859_1));
        }

        @Override
        public void handleError(Throwable error) {
            this.errors.add(error);
            super.handleError(error);
        }

    }

}
