package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ChannelSettings#maxConnections()}: refuse promptly past the limit, serve again below it. */
class ConnectionLimitTest {

    private final LoopFixture fixture = LoopFixture.started("limit");

    private final List<BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (BlockingClient client : this.clients) {
            client.close();
        }
        this.fixture.close();
    }

    @Test
    void pastTheLimitNewConnectionsAreRefusedPromptlyAndServiceResumesWhenOneLeaves() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> {
            TestListener created = new TestListener(this.fixture.map,
                    (channel) -> new SocketVariantsTest.Echo(channel, this.fixture.map));
            created.setSettings(ChannelSettings.DEFAULTS.withMaxConnections(3));
            return created;
        });
        for (int i = 0; i < 3; i++) {
            echo(connect(listener), "client " + i);
        }
        assertThat(listener.openConnections()).isEqualTo(3);
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            for (int i = 0; i < 5; i++) {
                BlockingClient refused = connect(listener);
                assertThat(refused.read()).as("refused at once: end-of-stream").isEqualTo(-1);
            }
            assertThat(this.fixture.loop.snapshot().connectionsRefused()).isEqualTo(5);
            assertThat(log.messages()).filteredOn((line) -> line.contains("max-connections")).hasSize(1);
        }
        assertThat(this.fixture.map.count(ChannelKind.CONNECTION)).as("nothing kept for the refused").isEqualTo(3);
        this.clients.remove(0).close();
        await().atMost(LoopFixture.WAIT).until(() -> listener.openConnections() == 2);
        echo(connect(listener), "served again");
        assertThat(listener.openConnections()).isEqualTo(3);
    }

    @Test
    void aConnectionTheListenerDoesNotAdoptDoesNotCount() throws Exception {
        Dispatcher listener = this.fixture.onLoop(() -> {
            Dispatcher created = new Dispatcher(this.fixture.map) {
                @Override
                public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                    channel.close();
                }
            };
            created.setSettings(ChannelSettings.DEFAULTS.withMaxConnections(1));
            created.createSocket();
            created.bind(LoopFixture.loopback());
            created.listen(8);
            return created;
        });
        for (int i = 0; i < 3; i++) {
            try (BlockingClient client = BlockingClient.connect(listener.getLocalAddress())) {
                assertThat(client.read()).isEqualTo(-1);
            }
        }
        // the client sees the close from inside handleAccepted; the listener settles its count just after
        await().atMost(LoopFixture.WAIT).untilAsserted(() -> assertThat(listener.openConnections()).isZero());
        assertThat(this.fixture.loop.snapshot().connectionsRefused()).isZero();
    }

    private BlockingClient connect(TestListener listener) throws IOException {
        BlockingClient client = BlockingClient.connect(listener.address());
        this.clients.add(client);
        return client;
    }

    private static void echo(BlockingClient client, String text) throws IOException {
        client.write(text);
        assertThat(client.readExactly(text)).isEqualTo(text);
    }

}
