package io.github.asyncore.demo.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server on one loopback address (127.0.0.1 or ::1) that answers {@code ok} to every request and
 * remembers each request's head, so that a test can say whether a fetch reached it at all, and what it
 * asked for.
 */
final class Upstream implements AutoCloseable {

    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final List<String> requests = new CopyOnWriteArrayList<>();

    Upstream(InetAddress address) throws IOException {
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(address, 0), 50);
        this.threads.execute(this::accept);
    }

    /** @return an upstream on 127.0.0.1 */
    static Upstream onIpv4Loopback() throws IOException {
        return new Upstream(InetAddress.getByName("127.0.0.1"));
    }

    /** @return an upstream on ::1 */
    static Upstream onIpv6Loopback() throws IOException {
        return new Upstream(InetAddress.getByName("::1"));
    }

    /** Closes each upstream that was started. */
    static void close(Upstream... upstreams) throws IOException, InterruptedException {
        for (Upstream upstream : upstreams) {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    /** @return the port it listens on */
    int port() {
        return this.server.getLocalPort();
    }

    /** @return the head (request line and headers) of every request it got, in order */
    List<String> requests() {
        return this.requests;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        this.server.close();
        this.threads.shutdownNow();
        if (!this.threads.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the upstream's threads did not end");
        }
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket socket = this.server.accept();
                this.threads.execute(() -> answer(socket));
            }
            catch (IOException ex) {
                return; // closed
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            socket.setSoTimeout(5_000);
            this.requests.add(readHead(socket.getInputStream()));
            socket.getOutputStream().write(ANSWER);
        }
        catch (IOException ex) {
            this.requests.add("failed: " + ex);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && head.size() < 8192) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

}
