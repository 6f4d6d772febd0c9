package io.github.asyncore.core;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What observers on other threads see of live channels. */
class ChannelSnapshotTest {

    private final LoopFixture fixture = LoopFixture.started("observed");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void snapshotsDescribeListenersConnectionsAndClients() throws Exception {
        Instant before = Instant.now().minusMillis(5);
        TestListener listener = this.fixture.onLoop(() -> {
            TestListener created = new TestListener(this.fixture.map,
                    (channel) -> new RecordingDispatcher(channel, this.fixture.map));
            created.setName("echo");
            return created;
        });
        try (ServerSocket peer = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                BlockingClient inbound = BlockingClient.connect(listener.address())) {
            RecordingDispatcher client = this.fixture.onLoop(() -> {
                RecordingDispatcher created = new RecordingDispatcher(this.fixture.map);
                created.createSocket();
                created.connect(peer.getLocalSocketAddress());
                return created;
            });
            try (Socket outbound = peer.accept()) {
                inbound.write("12345");
                outbound.getOutputStream().write("abc".getBytes());
                RecordingDispatcher server = listener.awaitAccepted();
                await().atMost(LoopFixture.WAIT)
                    .until(() -> server.received.length() == 5 && client.received.length() == 3);
                List<ChannelSnapshot> snapshots = this.fixture.map.snapshot();
                assertThat(snapshots).extracting(ChannelSnapshot::id).isSorted()
                    .containsExactlyInAnyOrder(listener.id(), server.id(), client.id());

                ChannelSnapshot listening = this.fixture.map.snapshot(listener.id()).orElseThrow();
                assertThat(listening.kind()).isEqualTo(ChannelKind.LISTENER);
                assertThat(listening.state()).isEqualTo(ChannelState.LISTENING);
                assertThat(listening.name()).isEqualTo("echo");
                assertThat(listening.localAddress()).isEqualTo(listener.address());
                assertThat(listening.remoteAddress()).isNull();
                assertThat(listening.loop()).isEqualTo("observed");
                assertThat(listening.dispatcher()).isEqualTo(TestListener.class.getName());

                ChannelSnapshot connection = this.fixture.map.snapshot(server.id()).orElseThrow();
                assertThat(connection.kind()).isEqualTo(ChannelKind.CONNECTION);
                assertThat(connection.state()).isEqualTo(ChannelState.CONNECTED);
                assertThat(connection.name()).isEqualTo("echo#" + server.id());
                assertThat(connection.remoteAddress()).isEqualTo(inbound.localAddress());
                assertThat(connection.readable()).isTrue();
                assertThat(connection.writable()).isFalse();
                assertThat(connection.bytesRead()).isEqualTo(5);
                assertThat(connection.bytesWritten()).isZero();
                assertThat(connection.pendingOutputBytes()).isZero();
                assertThat(connection.createdAt()).isBetween(before, Instant.now());
                assertThat(connection.lastReadAt()).isBetween(connection.createdAt(), Instant.now());
                assertThat(connection.lastWriteAt()).isNull();

                ChannelSnapshot outgoing = this.fixture.map.snapshot(client.id()).orElseThrow();
                assertThat(outgoing.kind()).isEqualTo(ChannelKind.CLIENT);
                assertThat(outgoing.state()).isEqualTo(ChannelState.CONNECTED);
                assertThat(outgoing.remoteAddress()).isEqualTo(peer.getLocalSocketAddress());
                assertThat(outgoing.localAddress()).isEqualTo(outbound.getRemoteSocketAddress());
                assertThat(outgoing.bytesRead()).isEqualTo(3);
            }
        }
    }

    @Test
    void toStringReadsLikeAsyncoresRepr() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> null));
        assertThat(listener).hasToString("<TestListener #" + listener.id() + " listening 127.0.0.1:"
                + listener.address().getPort() + ">");
        listener.setName("echoServer");
        assertThat(listener.toString()).startsWith("<TestListener echoServer #" + listener.id() + " listening");
        this.fixture.runOnLoop(listener::close);
        assertThat(listener.toString()).contains(" closed ");
    }

    @Test
    void loopSnapshotCountsChannelsAndIterations() throws Exception {
        this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> null));
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().iterations() > 0);
        LoopSnapshot snapshot = this.fixture.loop.snapshot();
        assertThat(snapshot.name()).isEqualTo("observed");
        assertThat(snapshot.thread()).isEqualTo("observed");
        assertThat(snapshot.running()).isTrue();
        assertThat(snapshot.channels()).isEqualTo(1);
        assertThat(snapshot.iterations()).isPositive();
        assertThat(snapshot.stallThreshold()).isEqualTo(Duration.ofMillis(100));
        assertThat(snapshot.failure()).isNull();
    }

}
