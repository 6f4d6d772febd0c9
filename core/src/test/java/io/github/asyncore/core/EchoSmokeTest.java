package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EchoSmokeTest {

    private final LoopFixture fixture = LoopFixture.started("smoke");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void echoesOverLoopback() throws Exception {
        EchoServer server = this.fixture.onLoop(() -> new EchoServer(this.fixture.map));
        try (BlockingClient client = BlockingClient.connect(server.getLocalAddress())) {
            client.write("hello asyncore");
            assertThat(client.readExactly("hello asyncore")).isEqualTo("hello asyncore");
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
    }

    static final class EchoServer extends Dispatcher {

        EchoServer(ChannelMap map) throws IOException {
            super(map);
            createSocket();
            setReuseAddr();
            bind(LoopFixture.loopback());
            listen(16);
        }

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            new EchoHandler(channel);
        }

    }

    static final class EchoHandler extends BufferedDispatcher {

        EchoHandler(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(8192);
            if (data.length > 0) {
                send(data);
            }
        }

    }

}
