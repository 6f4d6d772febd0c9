package io.github.asyncore.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import io.github.asyncore.core.Dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain blocking clients on 127.0.0.1 for tests, every connect and read bounded by a timeout. */
public final class LoopbackClients {

    private LoopbackClients() {
    }

    /** @return the port a listener dispatcher is bound to */
    public static int port(Dispatcher listener) {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** @return a client connected to the listener (5 s to connect, 10 s per read) */
    public static Socket connect(Dispatcher listener) throws IOException {
        return connect(port(listener));
    }

    /** @return a client connected to 127.0.0.1:port (5 s to connect, 10 s per read) */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends the bytes and asserts that exactly they come back. */
    public static void echo(Socket socket, byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        assertThat(socket.getInputStream().readNBytes(bytes.length)).isEqualTo(bytes);
    }

    /** @return {@code size} bytes counting up from 0 */
    public static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

}
