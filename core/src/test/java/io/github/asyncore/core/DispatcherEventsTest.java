package io.github.asyncore.core;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** The events asyncore implies, and its error rule, over real loopback sockets. */
class DispatcherEventsTest {

    private final LoopFixture fixture = LoopFixture.started("events");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void firstWriteEventCompletesTheConnectBeforeHandleWrite() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            RecordingDispatcher client = this.fixture.onLoop(() -> {
                RecordingDispatcher dispatcher = new RecordingDispatcher(this.fixture.map);
                dispatcher.readable = false;
                dispatcher.writable = true;
                dispatcher.createSocket();
                dispatcher.connect(peer.getLocalSocketAddress());
                assertThat(dispatcher.isConnecting()).isTrue();
                return dispatcher;
            });
            try (Socket accepted = peer.accept()) {
                await().atMost(LoopFixture.WAIT).until(() -> client.events.contains("write"));
                assertThat(client.events).containsExactly("connect", "write");
                assertThat(client.isConnected()).isTrue();
                assertThat(client.isConnecting()).isFalse();
                assertThat(client.getRemoteAddress()).isEqualTo(accepted.getLocalSocketAddress());
            }
        }
    }

    @Test
    void firstReadEventCompletesTheConnectBeforeHandleRead() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            RecordingDispatcher client = this.fixture.onLoop(() -> {
                RecordingDispatcher dispatcher = new RecordingDispatcher(this.fixture.map);
                dispatcher.createSocket();
                dispatcher.connect(peer.getLocalSocketAddress());
                return dispatcher;
            });
            try (Socket accepted = peer.accept()) {
                long iterations = this.fixture.loop.snapshot().iterations();
                this.fixture.loop.wakeup();
                await().atMost(LoopFixture.WAIT)
                    .until(() -> this.fixture.loop.snapshot().iterations() >= iterations + 3
                            || !client.events.isEmpty());
                assertThat(client.events).as("no event before the peer writes").isEmpty();
                assertThat(client.isConnecting()).isTrue();
                accepted.getOutputStream().write("hi".getBytes());
                await().atMost(LoopFixture.WAIT).until(() -> client.received.toString().equals("hi"));
                assertThat(client.events).containsExactly("connect", "read");
            }
        }
    }

    @Test
    void refusedConnectReachesHandleError() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) probe.getLocalSocketAddress();
        }
        InetSocketAddress target = closedPort;
        RecordingDispatcher client = this.fixture.onLoop(() -> {
            RecordingDispatcher dispatcher = new RecordingDispatcher(this.fixture.map);
            dispatcher.writable = true;
            dispatcher.createSocket();
            dispatcher.connect(target);
            return dispatcher;
        });
        await().atMost(LoopFixture.WAIT).until(client::isClosed);
        assertThat(client.events).containsExactly("error", "close");
        assertThat(client.errors).singleElement().isInstanceOf(ConnectException.class);
        assertThat(this.fixture.map.isEmpty()).isTrue();
        assertThat(this.fixture.loop.snapshot().handlerErrors()).isEqualTo(1);
    }

    @Test
    void peerCloseCallsHandleClose() throws Exception {
        TestListener listener = recordingListener();
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("bye");
            RecordingDispatcher server = listener.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(() -> server.received.length() == 3);
        }
        RecordingDispatcher server = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(server::isClosed);
        assertThat(server.events).endsWith("read", "close").doesNotContain("error");
        assertThat(this.fixture.map.size()).isEqualTo(1);
    }

    @Test
    void connectionResetBecomesHandleCloseNotHandleError() throws Exception {
        TestListener listener = recordingListener();
        BlockingClient client = BlockingClient.connect(listener.address());
        RecordingDispatcher server = listener.awaitAccepted();
        client.write("data that stays unread");
        client.reset();
        await().atMost(LoopFixture.WAIT).until(server::isClosed);
        assertThat(server.events).contains("close").doesNotContain("error");
        assertThat(server.errors).isEmpty();
    }

    @Test
    void brokenPipeOnSendBecomesHandleClose() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                (channel) -> new StreamingDispatcher(channel, this.fixture.map)));
        BlockingClient client = BlockingClient.connect(listener.address());
        StreamingDispatcher server = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(() -> server.sent.get() > 0);
        client.reset();
        await().atMost(LoopFixture.WAIT).until(server::isClosed);
        assertThat(server.events).contains("close").doesNotContain("error");
    }

    @Test
    void handleAcceptedReceivesTheNewChannelAndThePeerAddress() throws Exception {
        List<SocketChannel> channels = new CopyOnWriteArrayList<>();
        List<SocketAddress> addresses = new CopyOnWriteArrayList<>();
        Dispatcher listener = this.fixture.onLoop(() -> new Dispatcher(this.fixture.map) {
            {
                createSocket();
                bind(LoopFixture.loopback());
                listen(8);
            }

            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                channels.add(channel);
                addresses.add(address);
            }
        });
        try (BlockingClient client = BlockingClient.connect(listener.getLocalAddress())) {
            await().atMost(LoopFixture.WAIT).until(() -> channels.size() == 1);
            SocketChannel channel = channels.get(0);
            assertThat(addresses.get(0)).isEqualTo(client.localAddress());
            assertThat(channel.isConnected()).isTrue();
            assertThat(channel.isBlocking()).isFalse();
            assertThat(channel.getRemoteAddress()).isEqualTo(client.localAddress());
            channel.close();
        }
    }

    @Test
    void defaultHandleAcceptedClosesTheConnectionWithAWarning() throws Exception {
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            Dispatcher listener = this.fixture.onLoop(() -> {
                Dispatcher dispatcher = new Dispatcher(this.fixture.map);
                dispatcher.createSocket();
                dispatcher.bind(LoopFixture.loopback());
                dispatcher.listen(8);
                return dispatcher;
            });
            try (BlockingClient client = BlockingClient.connect(listener.getLocalAddress())) {
                assertThat(client.read()).isEqualTo(-1);
            }
            await().atMost(LoopFixture.WAIT).until(() -> log.joined().contains("unhandled accepted event"));
        }
    }

    @Test
    void aConnectionThatFailsToSetUpIsClosedAndTheListenerGoesOnAccepting() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("no resources for this one");
            }
            return new SocketVariantsTest.Echo(channel, this.fixture.map);
        }));
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            try (BlockingClient rejected = BlockingClient.connect(listener.address())) {
                assertThat(rejected.read()).isEqualTo(-1);
            }
            assertThat(log.joined()).contains("setting up the connection from 127.0.0.1:", "no resources for this one");
        }
        try (BlockingClient served = BlockingClient.connect(listener.address())) {
            served.write("still here");
            assertThat(served.readExactly("still here")).isEqualTo("still here");
        }
        assertThat(listener.isAccepting()).isTrue();
        assertThat(this.fixture.loop.snapshot().connectionsRejected()).isEqualTo(1);
        assertThat(this.fixture.loop.snapshot().connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void readableAndWritableFalseMeanNoHandlerCalls() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> {
            RecordingDispatcher server = new RecordingDispatcher(channel, this.fixture.map);
            server.readable = false;
            server.writable = false;
            return server;
        }));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            RecordingDispatcher server = listener.awaitAccepted();
            client.write("waiting");
            long iterations = this.fixture.loop.snapshot().iterations();
            await().atMost(LoopFixture.WAIT).until(() -> {
                this.fixture.loop.wakeup();
                return this.fixture.loop.snapshot().iterations() >= iterations + 5;
            });
            assertThat(server.events).isEmpty();
            ChannelSnapshot snapshot = this.fixture.map.snapshot(server.id()).orElseThrow();
            assertThat(snapshot.readable()).isFalse();
            assertThat(snapshot.writable()).isFalse();
            server.readable = true;
            this.fixture.loop.wakeup();
            await().atMost(LoopFixture.WAIT).until(() -> server.received.toString().equals("waiting"));
            assertThat(server.events).containsOnly("read");
        }
    }

    @Test
    void listenerIsNeverSelectedForWriting() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        Dispatcher listener = this.fixture.onLoop(() -> new Dispatcher(this.fixture.map) {
            {
                createSocket();
                bind(LoopFixture.loopback());
                listen(8);
            }

            @Override
            public boolean writable() {
                return true;
            }

            @Override
            public void handleWrite() {
                writes.incrementAndGet();
            }

            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                channel.close();
            }
        });
        for (int i = 0; i < 3; i++) {
            try (BlockingClient client = BlockingClient.connect(listener.getLocalAddress())) {
                assertThat(client.read()).isEqualTo(-1);
            }
        }
        long iterations = this.fixture.loop.snapshot().iterations();
        await().atMost(LoopFixture.WAIT).until(() -> {
            this.fixture.loop.wakeup();
            return this.fixture.loop.snapshot().iterations() >= iterations + 5;
        });
        assertThat(writes).hasValue(0);
        ChannelSnapshot snapshot = this.fixture.map.snapshot(listener.id()).orElseThrow();
        assertThat(snapshot.writable()).isFalse();
        assertThat(snapshot.readable()).isTrue();
        assertThat(snapshot.kind()).isEqualTo(ChannelKind.LISTENER);
    }

    @Test
    void closeLeavesTheMapAndClosesTheSocket() throws Exception {
        TestListener listener = recordingListener();
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            RecordingDispatcher server = listener.awaitAccepted();
            assertThat(this.fixture.map.find(server.id())).contains(server);
            this.fixture.runOnLoop(server::close);
            assertThat(server.isClosed()).isTrue();
            assertThat(server.state()).isEqualTo(ChannelState.CLOSED);
            assertThat(this.fixture.map.find(server.id())).isEmpty();
            assertThat(client.read()).as("the peer sees end-of-stream").isEqualTo(-1);
            assertThat(server.events).as("close() is not an event").doesNotContain("close");
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> null));
        this.fixture.runOnLoop(() -> {
            listener.close();
            listener.close();
        });
        listener.close();
        assertThat(listener.isClosed()).isTrue();
        assertThat(this.fixture.map.isEmpty()).isTrue();
    }

    @Test
    void closeFromAnotherThreadIsHandedToTheLoop() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> null));
        listener.close();
        await().atMost(LoopFixture.WAIT).until(listener::isClosed);
        assertThat(this.fixture.map.isEmpty()).isTrue();
        assertThat(listener.state()).isEqualTo(ChannelState.CLOSED);
    }

    @Test
    void throwingHandlerReachesHandleErrorAndTheLoopServesOtherChannels() throws Exception {
        assertFaultIsContained(new IllegalStateException("handler bug"));
    }

    @Test
    void errorThrownByAHandlerIsContainedToItsChannel() throws Exception {
        assertFaultIsContained(new StackOverflowError("deep recursion"));
    }

    private void assertFaultIsContained(Throwable fault) throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                (channel) -> new RecordingDispatcher(channel, this.fixture.map) {
                    @Override
                    public void handleRead() throws IOException {
                        super.handleRead();
                        if (this.received.toString().contains("boom")) {
                            sneakyThrow(fault);
                        }
                        send(ByteBuffer.wrap(this.received.toString().getBytes()));
                        this.received.setLength(0);
                    }
                }));
        try (LogCapture log = LogCapture.of(Dispatcher.class);
                BlockingClient healthy = BlockingClient.connect(listener.address());
                BlockingClient faulty = BlockingClient.connect(listener.address())) {
            healthy.write("one");
            assertThat(healthy.readExactly("one")).isEqualTo("one");
            faulty.write("boom");
            assertThat(faulty.read()).as("the faulty channel is closed").isEqualTo(-1);
            healthy.write("two");
            assertThat(healthy.readExactly("two")).isEqualTo("two");
            RecordingDispatcher closed = (RecordingDispatcher) listener.accepted.stream()
                .filter(Dispatcher::isClosed).findFirst().orElseThrow();
            assertThat(closed.errors).singleElement().isSameAs(fault);
            assertThat(closed.events).endsWith("error", "close");
            assertThat(log.joined()).contains("uncaught exception in a handler", "TestListener#" + closed.id() + " ");
            assertThat(this.fixture.loop.isRunning()).isTrue();
            assertThat(this.fixture.map.size()).as("the listener and the healthy connection").isEqualTo(2);
        }
    }

    @Test
    void socketOperationsOffTheLoopThreadFailClearly() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> null));
        assertThatIllegalStateException().isThrownBy(listener::accept)
            .withMessageContaining("accept() must run on the loop thread of events");
        assertThatIllegalStateException().isThrownBy(() -> new Dispatcher(this.fixture.map).createSocket())
            .withMessageContaining("createSocket() must run on the loop thread");
    }

    @Test
    void connectTimeoutSettingAppliesToClients() throws Exception {
        RecordingDispatcher client = this.fixture.onLoop(() -> {
            RecordingDispatcher dispatcher = new RecordingDispatcher(this.fixture.map);
            dispatcher.setSettings(ChannelSettings.DEFAULTS.withConnectTimeout(Duration.ofSeconds(7)));
            return dispatcher;
        });
        assertThat(client.getSettings().connectTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    private TestListener recordingListener() {
        return this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                (channel) -> new RecordingDispatcher(channel, this.fixture.map)));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable error) throws E {
        throw (E) error;
    }

    /** Sends as fast as the socket takes data, to meet a peer that resets. */
    static final class StreamingDispatcher extends RecordingDispatcher {

        final AtomicInteger sent = new AtomicInteger();

        private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);

        StreamingDispatcher(SocketChannel channel, ChannelMap map) throws IOException {
            super(channel, map);
            this.readable = false;
            this.writable = true;
        }

        @Override
        public void handleWrite() throws IOException {
            this.chunk.clear();
            this.sent.addAndGet(send(this.chunk));
        }

    }

}
