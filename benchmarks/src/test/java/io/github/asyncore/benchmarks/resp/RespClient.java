package io.github.asyncore.benchmarks.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.awaitility.Awaitility.await;

/**
 * A plain blocking socket to the server under test, read in short polls under Awaitility so that every
 * wait is bounded (5 s) and none is a fixed sleep.
 */
final class RespClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private final byte[] chunk = new byte[64 * 1024];

    private boolean ended;

    RespClient(int port) throws IOException {
        this.socket = new Socket();
        this.socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
        this.socket.setSoTimeout(20);
        this.socket.setTcpNoDelay(true);
        this.in = this.socket.getInputStream();
        this.out = this.socket.getOutputStream();
    }

    /** Sends the text (ISO-8859-1: one byte per char) in one write. */
    RespClient send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    RespClient send(byte[] request) throws IOException {
        this.out.write(request);
        this.out.flush();
        return this;
    }

    /** @return the next {@code length} bytes the server sends, as ISO-8859-1 text */
    String read(int length) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
            .until(() -> pull() >= length || this.ended);
        byte[] all = this.received.toByteArray();
        if (all.length < length) {
            throw new AssertionError("the server closed after " + new String(all, StandardCharsets.ISO_8859_1)
                    + " (" + all.length + " of " + length + " bytes)");
        }
        this.received.reset();
        this.received.write(all, length, all.length - length);
        return new String(all, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Reads as many bytes as the expected reply has and returns them, so that assertions show both. */
    String readLike(String expected) {
        return read(expected.getBytes(StandardCharsets.ISO_8859_1).length);
    }

    /** @return everything the server sent before it closed the connection */
    String readUntilClosed() {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
            pull();
            return this.ended;
        });
        String rest = this.received.toString(StandardCharsets.ISO_8859_1);
        this.received.reset();
        return rest;
    }

    /** Reads what arrived within one short poll, or notes the end of the stream. */
    private int pull() throws IOException {
        if (!this.ended) {
            try {
                int read = this.in.read(this.chunk);
                if (read < 0) {
                    this.ended = true;
                }
                else {
                    this.received.write(Arrays.copyOf(this.chunk, read));
                }
            }
            catch (SocketTimeoutException ex) {
                // nothing yet
            }
            catch (SocketException ex) { // a reset: the server closed with input unread
                this.ended = true;
            }
        }
        return this.received.size();
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

}
