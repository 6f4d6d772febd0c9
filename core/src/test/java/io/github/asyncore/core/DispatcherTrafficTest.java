package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Traffic counted per dispatcher name ({@link ChannelMap#traffic()}), over real loopback sockets. */
class DispatcherTrafficTest {

    private final LoopFixture fixture = LoopFixture.started("traffic");

    private final List<String> named = new CopyOnWriteArrayList<>();

    DispatcherTrafficTest() {
        this.fixture.map.addChannelListener(new ChannelListener() {

            @Override
            public void dispatcherNamed(DispatcherTraffic traffic) {
                DispatcherTrafficTest.this.named.add(traffic.loop() + "/" + traffic.dispatcher());
            }

        });
    }

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void twoListenersCountApartAndTheLoopTotalsAreTheirSums() throws Exception {
        EchoListener alpha = this.fixture.onLoop(() -> new EchoListener(this.fixture.map, "alpha"));
        EchoListener beta = this.fixture.onLoop(() -> new EchoListener(this.fixture.map, "beta"));
        try (BlockingClient a = BlockingClient.connect(alpha.getLocalAddress());
                BlockingClient b1 = BlockingClient.connect(beta.getLocalAddress());
                BlockingClient b2 = BlockingClient.connect(beta.getLocalAddress())) {
            echo(a, 100);
            echo(b1, 30);
            echo(b2, 7);
            // a write is counted once the socket took it, which may be just after the peer already has it
            await().atMost(LoopFixture.WAIT)
                .until(() -> traffic("alpha").bytesWritten() == 100 && traffic("beta").bytesWritten() == 37);
            assertThat(traffic("alpha").bytesRead()).isEqualTo(100);
            assertThat(traffic("alpha").connectionsAccepted()).isEqualTo(1);
            assertThat(traffic("beta").bytesRead()).isEqualTo(37);
            assertThat(traffic("beta").connectionsAccepted()).isEqualTo(2);
            // accepted connections are named alpha#7 and so on, but count under their listener's name
            Dispatcher connection = alpha.accepted.get(0);
            assertThat(connection.getName()).isEqualTo("alpha#" + connection.id());
            assertThat(this.fixture.map.count(ChannelKind.CONNECTION, "alpha")).isEqualTo(1);
            assertThat(this.fixture.map.count(ChannelKind.CONNECTION, "beta")).isEqualTo(2);
            assertThat(this.fixture.map.count(ChannelKind.LISTENER, "beta")).isEqualTo(1);
            assertThat(this.fixture.map.traffic()).extracting(DispatcherTraffic::dispatcher)
                .containsExactly("alpha", "beta");
            assertThat(this.named).containsExactly("traffic/alpha", "traffic/beta");
            assertTotalsAreSums();
            LoopSnapshot loop = this.fixture.loop.snapshot();
            assertThat(loop.bytesRead()).isEqualTo(137);
            assertThat(loop.connectionsAccepted()).isEqualTo(3);
        }
    }

    @Test
    void clientsCountUnderTheirOwnName() throws Exception {
        EchoListener alpha = this.fixture.onLoop(() -> new EchoListener(this.fixture.map, "alpha"));
        PingClient client = this.fixture.onLoop(() -> {
            PingClient created = new PingClient(this.fixture.map);
            created.setName("fetcher");
            created.createSocket();
            created.connect(alpha.getLocalAddress());
            return created;
        });
        await().atMost(LoopFixture.WAIT).until(() -> "ping".contentEquals(client.received));
        await().atMost(LoopFixture.WAIT).until(() -> traffic("fetcher").bytesRead() == 4);
        assertThat(traffic("fetcher").bytesWritten()).isEqualTo(4);
        assertThat(traffic("alpha").bytesRead()).isEqualTo(4);
        assertThat(traffic("alpha").connectionsAccepted()).isEqualTo(1);
        assertThat(this.fixture.map.count(ChannelKind.CLIENT, "fetcher")).isEqualTo(1);
        assertTotalsAreSums();
    }

    @Test
    void aRenamedChannelCountsUnderItsNewNameFromThenOn() throws Exception {
        EchoListener alpha = this.fixture.onLoop(() -> new EchoListener(this.fixture.map, "alpha"));
        try (BlockingClient client = BlockingClient.connect(alpha.getLocalAddress())) {
            echo(client, 10);
            Dispatcher connection = alpha.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(() -> traffic("alpha").bytesWritten() == 10);
            // from another thread while the loop runs: handed to the loop
            connection.setName("renamed");
            await().atMost(LoopFixture.WAIT)
                .until(() -> this.fixture.map.count(ChannelKind.CONNECTION, "renamed") == 1);
            echo(client, 5);
            await().atMost(LoopFixture.WAIT).until(() -> traffic("renamed").bytesWritten() == 5);
            assertThat(traffic("renamed").bytesRead()).isEqualTo(5);
            assertThat(traffic("alpha").bytesRead()).isEqualTo(10);
            assertThat(this.fixture.map.count(ChannelKind.CONNECTION, "alpha")).isZero();
            assertThat(this.named).containsExactly("traffic/alpha", "traffic/renamed");
            assertTotalsAreSums();
            assertThat(this.fixture.loop.snapshot().bytesRead()).isEqualTo(15);
        }
        // a name's counters stay when its channels close
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
        assertThat(traffic("renamed").bytesRead()).isEqualTo(5);
    }

    @Test
    void namesPastTheLimitCountTogetherUnderOtherWithOneWarning() throws Exception {
        try (LogCapture log = LogCapture.of(ChannelMap.class)) {
            Dispatcher datagram = this.fixture.onLoop(() -> {
                Dispatcher created = new Dispatcher(this.fixture.map);
                created.createSocket(StandardProtocolFamily.INET, SocketType.DATAGRAM);
                created.bind(LoopFixture.loopback());
                for (int i = 1; i < ChannelMap.MAX_DISPATCHER_NAMES + 5; i++) {
                    created.setName("per-connection-" + i);
                }
                return created;
            });
            assertThat(this.fixture.map.traffic()).hasSize(ChannelMap.MAX_DISPATCHER_NAMES + 1);
            assertThat(this.fixture.map.traffic(ChannelMap.OTHER_DISPATCHERS)).isPresent();
            assertThat(this.fixture.map.count(ChannelKind.DATAGRAM, ChannelMap.OTHER_DISPATCHERS)).isEqualTo(1);
            assertThat(datagram.getName()).isEqualTo("per-connection-" + (ChannelMap.MAX_DISPATCHER_NAMES + 4));
            assertThat(this.named).hasSize(ChannelMap.MAX_DISPATCHER_NAMES + 1);
            assertThat(log.messages()).hasSize(1)
                .allSatisfy((message) -> assertThat(message).startsWith("WARN traffic: ")
                    .contains("'per-connection-1000'", "under 'other'"));
        }
    }

    private DispatcherTraffic traffic(String name) {
        return this.fixture.map.traffic(name).orElseThrow(() -> new AssertionError("nothing counted under " + name));
    }

    private void assertTotalsAreSums() {
        List<DispatcherTraffic> names = this.fixture.map.traffic();
        LoopSnapshot loop = this.fixture.loop.snapshot();
        assertThat(loop.bytesRead()).isEqualTo(names.stream().mapToLong(DispatcherTraffic::bytesRead).sum());
        assertThat(loop.bytesWritten()).isEqualTo(names.stream().mapToLong(DispatcherTraffic::bytesWritten).sum());
        assertThat(loop.connectionsAccepted())
            .isEqualTo(names.stream().mapToLong(DispatcherTraffic::connectionsAccepted).sum());
    }

    private static void echo(BlockingClient client, int size) throws IOException {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        client.write(data);
        assertThat(client.readExactly(size)).isEqualTo(data);
    }

    /** A client that sends "ping" once connected and keeps what it reads. */
    static final class PingClient extends BufferedDispatcher {

        final StringBuffer received = new StringBuffer();

        PingClient(ChannelMap map) {
            super(map);
        }

        @Override
        public void handleConnect() throws IOException {
            send("ping".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void handleRead() throws IOException {
            this.received.append(new String(recv(8192), StandardCharsets.US_ASCII));
        }

    }

    /** A listener named before it joins the map, whose connections echo. */
    static final class EchoListener extends Dispatcher {

        final List<Dispatcher> accepted = new CopyOnWriteArrayList<>();

        EchoListener(ChannelMap map, String name) throws IOException {
            super(map);
            setName(name);
            createSocket();
            bind(LoopFixture.loopback());
            listen(16);
        }

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            this.accepted.add(new EchoSmokeTest.EchoHandler(channel));
        }

        Dispatcher awaitAccepted() {
            await().atMost(LoopFixture.WAIT).until(() -> !this.accepted.isEmpty());
            return this.accepted.get(0);
        }

    }

}
