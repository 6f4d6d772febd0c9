package io.github.asyncore.core;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain blocking TCP server for tests: a JDK {@link ServerSocketChannel} on 127.0.0.1 with
 * {@code SO_REUSEADDR}, so that a test can close it and bind it again on the same port while connections of
 * the old one linger in TIME_WAIT. Every accept and read is bounded by a timeout so that a test fails instead
 * of hanging. Closing it closes the connections it accepted.
 */
final class PlainServer implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 10_000;

    private final ServerSocketChannel channel;

    private final List<Peer> peers = new CopyOnWriteArrayList<>();

    private PlainServer(ServerSocketChannel channel) {
        this.channel = channel;
    }

    /** @return a server listening on the given port of 127.0.0.1 (0: any free port) */
    static PlainServer bind(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress("127.0.0.1", port));
            channel.socket().setSoTimeout(TIMEOUT_MILLIS);
        }
        catch (IOException ex) {
            channel.close();
            throw ex;
        }
        return new PlainServer(channel);
    }

    /** @return a port of 127.0.0.1 that was free a moment ago and on which nothing listens now */
    static int freePort() throws IOException {
        try (PlainServer probe = bind(0)) {
            return probe.address().getPort();
        }
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) this.channel.getLocalAddress();
    }

    /** @return the next connection, waiting for it at most {@link #TIMEOUT_MILLIS} */
    Peer accept() throws IOException {
        Peer peer = new Peer(this.channel.socket().accept());
        this.peers.add(peer);
        return peer;
    }

    @Override
    public void close() throws IOException {
        this.channel.close();
        for (Peer peer : this.peers) {
            peer.close();
        }
    }

    /** One accepted connection, read and written with blocking calls. */
    static final class Peer implements AutoCloseable {

        private final Socket socket;

        private final InputStream in;

        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        Peer write(String text) throws IOException {
            this.out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            this.out.flush();
            return this;
        }

        /** @return as many bytes as the expected text has, as text */
        String readExactly(String expectedLike) throws IOException {
            byte[] data = this.in.readNBytes(expectedLike.getBytes(StandardCharsets.ISO_8859_1).length);
            return new String(data, StandardCharsets.ISO_8859_1);
        }

        /** @return the next line without its {@code \n}, or {@code null} at end-of-stream */
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = this.in.read()) != '\n') {
                if (b < 0) {
                    return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
                }
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        /** @return everything until the other side closes */
        String readToEnd() throws IOException {
            return new String(this.in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        /** Half-closes: the other side reads end-of-stream. */
        void shutdownOutput() throws IOException {
            this.socket.shutdownOutput();
        }

        @Override
        public void close() throws IOException {
            this.socket.close();
        }

    }

}
