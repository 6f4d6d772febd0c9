package io.github.asyncore.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.internal.channel.ChannelListeners;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ChannelListener}: opened, idle, closed with the right {@link CloseReason}, and refused, in order,
 * on the loop thread, over real loopback sockets.
 */
class ChannelListenerTest {

    private final LoopFixture fixture = LoopFixture.started("listeners");

    private final Recorder recorder = new Recorder();

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void aClientThatClosesIsReportedOpenedThenClosedByThePeer() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS);
        assertThat(this.recorder.events).containsExactly("opened #" + listener.id() + " LISTENER");
        long connection;
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("ping");
            assertThat(client.readExactly("ping")).isEqualTo("ping");
            connection = listener.awaitAccepted().id();
            ChannelSnapshot opened = this.recorder.snapshots.get(1);
            assertThat(opened.kind()).isEqualTo(ChannelKind.CONNECTION);
            assertThat(opened.state()).isEqualTo(ChannelState.CONNECTED);
            assertThat(opened.remoteAddress()).isEqualTo(client.localAddress());
            assertThat(opened.loop()).isEqualTo("listeners");
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.size() == 3);
        assertThat(this.recorder.events).containsExactly("opened #" + listener.id() + " LISTENER",
                "opened #" + connection + " CONNECTION", "closed #" + connection + " PEER");
        ChannelSnapshot closed = this.recorder.snapshots.get(2);
        assertThat(closed.state()).isEqualTo(ChannelState.CLOSED);
        assertThat(closed.bytesRead()).isEqualTo(4);
        assertThat(closed.inputEnded()).isTrue();
        assertThat(this.recorder.threads).containsOnly("listeners");
    }

    @Test
    void aResetIsReportedAsClosedByThePeer() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS);
        BlockingClient client = BlockingClient.connect(listener.address());
        client.write("ping");
        assertThat(client.readExactly("ping")).isEqualTo("ping");
        client.reset();
        Dispatcher connection = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(connection::isClosed);
        assertThat(connection.getCloseReason()).isEqualTo(CloseReason.PEER);
        await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.contains("closed #" + connection.id() + " PEER"));
    }

    @Test
    void aHandlerThatThrowsIsReportedAsAnError() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Failing::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("boom");
            assertThat(client.read()).as("closed by handleError").isEqualTo(-1);
        }
        Dispatcher connection = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.size() == 3);
        assertThat(this.recorder.events).endsWith("opened #" + connection.id() + " CONNECTION",
                "closed #" + connection.id() + " ERROR");
        assertThat(connection.getCloseReason()).isEqualTo(CloseReason.ERROR);
    }

    @Test
    void anIdleTimeoutIsReportedThenTheCloseItCaused() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            assertThat(client.read()).as("closed when idle").isEqualTo(-1);
        }
        Dispatcher connection = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.size() == 4);
        assertThat(this.recorder.events).endsWith("opened #" + connection.id() + " CONNECTION",
                "idle #" + connection.id() + " ALL_IDLE", "closed #" + connection.id() + " IDLE_TIMEOUT");
    }

    @Test
    void aCloseWithAReasonFromAnotherThreadRecordsThatReason() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS);
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Dispatcher connection = listener.awaitAccepted();
            connection.close(CloseReason.OPERATOR);
            assertThat(client.read()).isEqualTo(-1);
            await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.contains("closed #" + connection.id() + " OPERATOR"));
            assertThat(connection.getCloseReason()).isEqualTo(CloseReason.OPERATOR);
            connection.close(CloseReason.ERROR);
            assertThat(connection.getCloseReason()).as("the first close wins").isEqualTo(CloseReason.OPERATOR);
        }
    }

    @Test
    void aCloseByTheApplicationsOwnCodeIsReportedAsSuch() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, ByeOnRead::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("bye");
            assertThat(client.read()).isEqualTo(-1);
        }
        Dispatcher connection = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.contains("closed #" + connection.id() + " APPLICATION"));
        assertThat(connection.getCloseReason()).isEqualTo(CloseReason.APPLICATION);
    }

    @Test
    void aGracefulShutdownClosesEveryChannelForTheShutdown() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS);
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Dispatcher connection = listener.awaitAccepted();
            CompletableFuture<DrainReport> shutdown = this.fixture.loop.shutdownGracefully(Duration.ofSeconds(5));
            assertThat(client.read()).as("the drain's end-of-stream").isEqualTo(-1);
            client.close();
            shutdown.get(10, TimeUnit.SECONDS);
            assertThat(this.recorder.events).contains("closed #" + listener.id() + " SHUTDOWN",
                    "closed #" + connection.id() + " SHUTDOWN");
            assertThat(connection.isOutputShutdown()).as("the drain half-closed first").isTrue();
        }
    }

    @Test
    void aConnectionRefusedAtTheLimitIsReportedWithTheListenerAndThePeer() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS.withMaxConnections(1));
        try (BlockingClient first = BlockingClient.connect(listener.address())) {
            first.write("ping");
            assertThat(first.readExactly("ping")).isEqualTo("ping");
            try (BlockingClient refused = BlockingClient.connect(listener.address())) {
                assertThat(refused.read()).isEqualTo(-1);
                await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.contains("refused #" + listener.id()));
                assertThat(this.recorder.refusedPeers).containsExactly(refused.localAddress());
            }
        }
    }

    @Test
    void aClientIsReportedOpenedWhenItsConnectCompletesAndAFailedConnectNotAtAll() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS);
        Dispatcher client = this.fixture.onLoop(() -> {
            Dispatcher created = new BufferedDispatcher(this.fixture.map);
            created.createSocket();
            created.connect(listener.address());
            return created;
        });
        await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.contains("opened #" + client.id() + " CLIENT"));
        client.close();
        await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.contains("closed #" + client.id() + " APPLICATION"));
        int port;
        try (ServerSocket closedPort = new ServerSocket(0)) {
            port = closedPort.getLocalPort();
        }
        Dispatcher failed = this.fixture.onLoop(() -> {
            Dispatcher created = new BufferedDispatcher(this.fixture.map) {

                @Override
                public void handleError(Throwable error) {
                    close(); // a refused connect is expected here
                }

            };
            created.createSocket();
            created.connect(new InetSocketAddress("127.0.0.1", port));
            return created;
        });
        await().atMost(LoopFixture.WAIT).until(failed::isClosed);
        assertThat(failed.getCloseReason()).isEqualTo(CloseReason.ERROR);
        assertThat(this.recorder.events).noneMatch((event) -> event.contains("#" + failed.id()));
    }

    @Test
    void aListenerThatThrowsHurtsNeitherTheChannelNorTheOtherListeners() throws Exception {
        this.fixture.map.addChannelListener(new ChannelListener() {

            @Override
            public void channelOpened(ChannelSnapshot channel) {
                throw new IllegalStateException("a broken listener");
            }

        });
        this.fixture.map.addChannelListener(this.recorder);
        try (LogCapture log = LogCapture.of(ChannelListeners.class)) {
            TestListener listener = echoListener(ChannelSettings.DEFAULTS);
            try (BlockingClient client = BlockingClient.connect(listener.address())) {
                client.write("ping");
                assertThat(client.readExactly("ping")).isEqualTo("ping");
            }
            await().atMost(LoopFixture.WAIT).until(() -> this.recorder.events.size() == 3);
            assertThat(log.joined()).contains("threw from channelOpened");
        }
    }

    @Test
    void aRemovedListenerHearsNothingMore() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        this.fixture.map.removeChannelListener(this.recorder);
        TestListener listener = echoListener(ChannelSettings.DEFAULTS);
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("ping");
            assertThat(client.readExactly("ping")).isEqualTo("ping");
        }
        Dispatcher connection = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(connection::isClosed);
        assertThat(connection.getCloseReason()).as("recorded without listeners too").isEqualTo(CloseReason.PEER);
        assertThat(this.recorder.events).isEmpty();
    }

    @Test
    void anOversizedFrameIsReportedAsAnError() throws Exception {
        this.fixture.map.addChannelListener(this.recorder);
        TestListener listener = this.fixture.onLoop(() -> {
            TestListener created = new TestListener(this.fixture.map, LineChat::new);
            created.setSettings(ChannelSettings.DEFAULTS.withMaxFrameSize(16));
            return created;
        });
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("a line far longer than sixteen bytes\n");
            assertThat(client.read()).isEqualTo(-1);
        }
        Dispatcher connection = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(connection::isClosed);
        assertThat(connection.getCloseReason()).isEqualTo(CloseReason.ERROR);
    }

    private TestListener echoListener(ChannelSettings settings) {
        return this.fixture.onLoop(() -> {
            TestListener created = new TestListener(this.fixture.map,
                    (channel) -> new SocketVariantsTest.Echo(channel, this.fixture.map));
            created.setSettings(settings);
            return created;
        });
    }

    /** Records every event as text, with its snapshot and thread. */
    static final class Recorder implements ChannelListener {

        final List<String> events = new CopyOnWriteArrayList<>();

        final List<ChannelSnapshot> snapshots = new CopyOnWriteArrayList<>();

        final List<String> threads = new CopyOnWriteArrayList<>();

        final List<SocketAddress> refusedPeers = new CopyOnWriteArrayList<>();

        @Override
        public void channelOpened(ChannelSnapshot channel) {
            record("opened #" + channel.id() + " " + channel.kind(), channel);
        }

        @Override
        public void channelIdle(ChannelSnapshot channel, IdleState state) {
            record("idle #" + channel.id() + " " + state, channel);
        }

        @Override
        public void channelClosed(ChannelSnapshot channel, CloseReason reason) {
            record("closed #" + channel.id() + " " + reason, channel);
        }

        @Override
        public void connectionRefused(ChannelSnapshot listener, SocketAddress peer) {
            this.refusedPeers.add(peer);
            record("refused #" + listener.id(), listener);
        }

        private void record(String event, ChannelSnapshot channel) {
            this.snapshots.add(channel);
            this.threads.add(Thread.currentThread().getName());
            this.events.add(event);
        }

    }

    /** Throws from its read handler. */
    static final class Failing extends BufferedDispatcher {

        Failing(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            recv(64);
            throw new IllegalStateException("a handler bug");
        }

    }

    /** Closes as soon as it reads anything. */
    static final class ByeOnRead extends BufferedDispatcher {

        ByeOnRead(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            if (recv(64).length > 0) {
                close();
            }
        }

    }

    /** Echoes lines. */
    static final class LineChat extends AsyncChat {

        LineChat(SocketChannel channel) throws IOException {
            super(channel);
            setTerminator("\n");
        }

        @Override
        public void foundTerminator() throws IOException {
            push(takeData());
        }

    }

}
