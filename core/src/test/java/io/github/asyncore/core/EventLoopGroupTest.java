package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** Several loops serving as one: accept on the first, spread connections over all. */
class EventLoopGroupTest {

    private final EventLoopGroup group = new EventLoopGroup("group", 2);

    @AfterEach
    void close() {
        this.group.close();
    }

    @Test
    void connectionsAreSpreadOverEveryLoopAndServedOnTheirThreads() throws Exception {
        Map<Long, String> adoptedOn = new ConcurrentHashMap<>();
        this.group.start();
        ChannelMap acceptor = this.group.acceptor();
        EchoListener listener = LoopFixture.onLoop(acceptor.eventLoop(), () -> {
            EchoListener created = new EchoListener(adoptedOn);
            created.setSettings(ChannelSettings.DEFAULTS.withMaxFrameSize(1234));
            return created;
        });
        assertThat(listener.map()).isSameAs(acceptor);
        List<BlockingClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                BlockingClient client = BlockingClient.connect(listener.getLocalAddress());
                clients.add(client);
                client.write("hi " + i);
                assertThat(client.readExactly("hi " + i)).isEqualTo("hi " + i);
            }
            await().atMost(LoopFixture.WAIT).until(() -> this.group.count(ChannelKind.CONNECTION) == 4);
            assertThat(this.group.maps()).allSatisfy((map) -> assertThat(map.count(ChannelKind.CONNECTION)).isEqualTo(2));
            List<ChannelSnapshot> connections = this.group.snapshot().stream()
                .filter((snapshot) -> snapshot.kind() == ChannelKind.CONNECTION)
                .toList();
            assertThat(connections).hasSize(4).allSatisfy((snapshot) -> {
                assertThat(adoptedOn.get(snapshot.id())).as("adopted on its own loop's thread").isEqualTo(snapshot.loop());
                assertThat(snapshot.name()).startsWith("EchoListener#");
                assertThat(this.group.find(snapshot.id()).orElseThrow().getSettings().maxFrameSize()).isEqualTo(1234);
            });
            assertThat(connections).extracting(ChannelSnapshot::loop).containsOnly("group-0", "group-1");
            assertThat(this.group.loopSnapshots()).extracting(LoopSnapshot::name).containsExactly("group-0", "group-1");
            assertThat(this.group.loopSnapshots().get(0).connectionsAccepted()).isEqualTo(4);
        }
        finally {
            for (BlockingClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void aGracefulShutdownAddsUpTheReportsOfEveryLoop() throws Exception {
        this.group.start();
        ChannelMap acceptor = this.group.acceptor();
        EchoListener listener = LoopFixture.onLoop(acceptor.eventLoop(), () -> new EchoListener(new ConcurrentHashMap<>()));
        try (BlockingClient first = BlockingClient.connect(listener.getLocalAddress());
                BlockingClient second = BlockingClient.connect(listener.getLocalAddress())) {
            await().atMost(LoopFixture.WAIT).until(() -> this.group.count(ChannelKind.CONNECTION) == 2);
            DrainReport report = this.group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertThat(report.listenersClosed()).isEqualTo(1);
            assertThat(report.drained()).isEqualTo(2);
            assertThat(first.read()).isEqualTo(-1);
            assertThat(second.read()).isEqualTo(-1);
        }
        assertThat(this.group.snapshot()).isEmpty();
    }

    @Test
    void aGroupNeedsAtLeastOneLoop() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EventLoopGroup("none", 0))
            .withMessageContaining("at least 1 thread");
    }

    /** A listener made without a map, as a Spring bean would be: it joins the loop that opens it. */
    static final class EchoListener extends Dispatcher {

        private final Map<Long, String> adoptedOn;

        EchoListener(Map<Long, String> adoptedOn) throws IOException {
            this.adoptedOn = adoptedOn;
            createSocket();
            bind(LoopFixture.loopback());
            listen(16);
        }

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            SocketVariantsTest.Echo echo = new SocketVariantsTest.Echo(channel, ChannelMap.current());
            this.adoptedOn.put(echo.id(), Thread.currentThread().getName());
        }

    }

}
