package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import io.github.asyncore.core.Dispatcher;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Blocking UDP clients on loopback for the UDP echo's tests; every receive bounded by a timeout. */
final class Datagrams {

    /** How long a client waits before it concludes that no answer comes, once the server has proved it answers. */
    static final int NO_ANSWER_WAIT_MILLIS = 500;

    private Datagrams() {
    }

    /** @return where the dispatcher is bound, as an address to send to */
    static InetSocketAddress addressOf(Dispatcher server) {
        return new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
    }

    /** @return a socket bound to the address and port (0: any free port) */
    static DatagramSocket bind(String host, int port) {
        try {
            return new DatagramSocket(new InetSocketAddress(host, port));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static void send(DatagramSocket client, String text, SocketAddress server) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(bytes, bytes.length, server));
    }

    /** @return the next datagram, as text; a {@link SocketTimeoutException} after the wait */
    static String receive(DatagramSocket client, int timeoutMillis) throws IOException {
        client.setSoTimeout(timeoutMillis);
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        client.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    /** Asserts that nothing arrives within {@link #NO_ANSWER_WAIT_MILLIS}. */
    static void assertNoAnswer(DatagramSocket client) {
        assertThatExceptionOfType(SocketTimeoutException.class).as("no answer to %s", client.getLocalSocketAddress())
            .isThrownBy(() -> receive(client, NO_ANSWER_WAIT_MILLIS));
    }

}
