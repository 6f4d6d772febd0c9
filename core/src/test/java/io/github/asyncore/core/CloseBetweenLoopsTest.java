package io.github.asyncore.core;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * asyncore's {@code close()} frees the port at once. The JDK closes a socket registered with a selector for
 * real only when that selector next selects, so a listener that has been through {@code loop()} and is
 * closed while no loop runs must have its registration released by the close itself.
 */
class CloseBetweenLoopsTest {

    private final ChannelMap map = new ChannelMap("close-between-loops");

    @AfterEach
    void close() {
        this.map.close();
    }

    @Test
    void aListenerClosedBetweenTwoLoopRunsRefusesConnectionsAndFreesItsPortAtOnce() throws Exception {
        Dispatcher listener = listen();
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        Asyncore.loop(Duration.ofMillis(10), this.map, 2); // registers the listener with the loop's selector

        listener.close(); // no loop runs now, and none will
        assertThatThrownBy(() -> connect(port)).as("a connect to the closed listener").isInstanceOf(ConnectException.class);
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(new InetSocketAddress("127.0.0.1", port)); // the port is free
            assertThat(again.getLocalAddress()).isEqualTo(listener.getLocalAddress());
        }
    }

    @Test
    void closeAllBetweenTwoLoopRunsFreesEveryPortAtOnce() throws Exception {
        Dispatcher first = listen();
        Dispatcher second = listen();
        Asyncore.loop(Duration.ofMillis(10), this.map, 2);

        Asyncore.closeAll(this.map);
        assertThat(this.map.isEmpty()).isTrue();
        for (Dispatcher listener : new Dispatcher[] { first, second }) {
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
        }
    }

    private Dispatcher listen() throws IOException {
        Dispatcher listener = new Dispatcher(this.map) {
            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                channel.close();
            }
        };
        listener.createSocket();
        listener.bind(LoopFixture.loopback());
        listener.listen(16);
        return listener;
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
    }

}
