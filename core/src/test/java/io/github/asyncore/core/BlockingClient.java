package io.github.asyncore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A plain blocking TCP client for tests, the peer a user's real client would be. Every read is bounded
 * by a socket timeout so that a test fails instead of hanging.
 */
final class BlockingClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    private BlockingClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static BlockingClient connect(SocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, READ_TIMEOUT_MILLIS);
        return new BlockingClient(socket);
    }

    Socket socket() {
        return this.socket;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) this.socket.getLocalSocketAddress();
    }

    BlockingClient write(byte[] data) throws IOException {
        this.out.write(data);
        this.out.flush();
        return this;
    }

    BlockingClient write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] readExactly(int length) throws IOException {
        return this.in.readNBytes(length);
    }

    String readExactly(String expectedLike) throws IOException {
        return new String(readExactly(expectedLike.getBytes(StandardCharsets.UTF_8).length), StandardCharsets.UTF_8);
    }

    /** @return everything until the peer closes */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        this.in.transferTo(all);
        return all.toByteArray();
    }

    /** @return -1 once the peer has closed its side (fails on timeout) */
    int read() throws IOException {
        return this.in.read();
    }

    void shutdownOutput() throws IOException {
        this.socket.shutdownOutput();
    }

    /** Closes with a reset (SO_LINGER 0) instead of a FIN. */
    void reset() throws IOException {
        this.socket.setSoLinger(true, 0);
        this.socket.close();
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

}
