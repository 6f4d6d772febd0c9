package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.asyncore.core.ChannelTransition.Kind;
import io.github.asyncore.core.internal.channel.ChannelHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A channel's recent transitions over real loopback connections, as {@link EventLoopGroup#history(long)}
 * gives them: what opened and connected it, idle timeouts, the ends of its input and output, and its close
 * with the reason; bounded to the last {@value ChannelHistory#CAPACITY}.
 */
class ChannelHistoryTest {

    private final LoopFixture fixture = LoopFixture.started("history");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void aConnectionRecordsItsOpeningIdleTimeoutEndOfInputAndClose() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Quiet::new));
        Instant before = Instant.now();
        Quiet server;
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            server = listener.awaitAccepted();
            this.fixture.runOnLoop(() -> server
                .setSettings(server.getSettings().withIdleTimeout(Duration.ofMillis(200))));
            await().atMost(LoopFixture.WAIT).until(() -> kinds(server).contains(Kind.IDLE));
        }
        await().atMost(LoopFixture.WAIT).until(server::isClosed);
        List<ChannelTransition> history = server.core().history().entries();
        assertThat(history).extracting(ChannelTransition::kind)
            .containsExactly(Kind.OPENED, Kind.IDLE, Kind.INPUT_ENDED, Kind.CLOSED);
        assertThat(history.get(0).detail()).startsWith("127.0.0.1:");
        assertThat(history.get(1).detail()).isEqualTo("ALL_IDLE");
        assertThat(history.get(3).detail()).isEqualTo("PEER");
        assertThat(history).allSatisfy((transition) -> assertThat(transition.at()).isAfterOrEqualTo(before));
        assertThat(history).extracting(ChannelTransition::at).isSorted();
    }

    @Test
    void aClientRecordsItsConnectItsHalfCloseAndThePeersAnswer() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Quiet::new));
        Client client = this.fixture.onLoop(() -> new Client(this.fixture.map, listener.address()));
        EventLoopGroup group = new EventLoopGroup(this.fixture.map, "history", 1);
        await().atMost(LoopFixture.WAIT).until(client::isConnected);
        assertThat(group.history(client.id())).hasValueSatisfying((history) -> assertThat(history)
            .extracting(ChannelTransition::kind)
            .containsExactly(Kind.CONNECTED));
        client.shutdownOutput(); // the server reads end-of-stream and closes (asyncore's default)
        await().atMost(LoopFixture.WAIT).until(client::isClosed);
        assertThat(kinds(client)).containsExactly(Kind.CONNECTED, Kind.OUTPUT_SHUTDOWN, Kind.INPUT_ENDED, Kind.CLOSED);
        assertThat(group.history(client.id())).as("a closed channel has left the group").isEmpty();
    }

    @Test
    void theRingKeepsTheLatestTransitions() {
        ChannelHistory history = new ChannelHistory();
        for (int i = 0; i < ChannelHistory.CAPACITY + 8; i++) {
            history.record(Kind.IDLE, i);
        }
        List<ChannelTransition> entries = history.entries();
        assertThat(entries).hasSize(ChannelHistory.CAPACITY);
        assertThat(entries.get(0).detail()).isEqualTo("8");
        assertThat(entries.get(ChannelHistory.CAPACITY - 1).detail()).isEqualTo(String.valueOf(ChannelHistory.CAPACITY + 7));
    }

    private static List<Kind> kinds(Dispatcher dispatcher) {
        return dispatcher.core().history().entries().stream().map(ChannelTransition::kind).toList();
    }

    /** Reads and drops. */
    static final class Quiet extends Dispatcher {

        Quiet(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            recv(4096);
        }

        @Override
        public boolean writable() {
            return false;
        }

        @Override
        public void handleIdle(IdleState state) {
            setSettings(getSettings().withIdleTimeout(Duration.ZERO)); // once is enough
        }

    }

    static final class Client extends BufferedDispatcher {

        Client(ChannelMap map, SocketAddress server) throws IOException {
            super(map);
            createSocket();
            connect(server);
        }

        @Override
        public void handleRead() throws IOException {
            recv(4096);
        }

    }

}
