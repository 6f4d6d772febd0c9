package io.github.asyncore.demo.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpServer;

/**
 * The servers {@code GET /fetch} is pointed at, all on 127.0.0.1 in the driver's process: a JDK HTTP
 * server with pages whose size and content follow from the URL (so that the answer can be checked), and
 * hostile upstreams: silent, not HTTP, endless headers, a response past the demo's limit, a port that
 * refuses, and a listener whose accept queue is full.
 */
final class Upstreams implements AutoCloseable {

    /** The characters of pages, one byte each in UTF-8. */
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_";

    private final HttpServer http;

    private final ExecutorService httpThreads;

    private final ExecutorService rawThreads;

    private final List<ServerSocket> listeners = new ArrayList<>();

    private final List<Socket> fillers = new ArrayList<>();

    private final int silent;

    private final int notHttp;

    private final int endlessHeaders;

    private final int refused;

    private final int neverAccepts;

    Upstreams(int concurrency) throws IOException {
        this.httpThreads = Executors.newFixedThreadPool(4, named("soak-upstream-http"));
        this.http = HttpServer.create(new InetSocketAddress(RawHttp.LOOPBACK, 0), 64);
        this.http.setExecutor(this.httpThreads);
        this.http.createContext("/page", (exchange) -> {
            Map<String, String> query = query(exchange.getRequestURI());
            int size = Integer.parseInt(query.get("size"));
            long seed = Long.parseLong(query.get("seed"));
            byte[] body = page(seed, size);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Soak-Seed", Long.toString(seed));
            exchange.sendResponseHeaders(200, (size == 0) ? -1 : size);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            catch (IOException ex) {
                // the demo cut the response off (too large): that is what it should do
            }
            finally {
                exchange.close();
            }
        });
        this.http.start();
        // every raw connection has a thread; at most one fetch per client thread is in flight
        this.rawThreads = Executors.newFixedThreadPool(4 * concurrency + 4, named("soak-upstream-raw"));
        this.silent = listen(this::silent);
        this.notHttp = listen(this::notHttp);
        this.endlessHeaders = listen(this::endlessHeaders);
        try (ServerSocket closed = new ServerSocket(0, 1, RawHttp.LOOPBACK)) {
            this.refused = closed.getLocalPort();
        }
        ServerSocket full = new ServerSocket(0, 1, RawHttp.LOOPBACK);
        this.listeners.add(full);
        for (int i = 0; i < 2; i++) { // backlog 1 takes 2: the kernel then drops further SYNs
            Socket filler = new Socket();
            filler.connect(full.getLocalSocketAddress(), 1_000);
            this.fillers.add(filler);
        }
        this.neverAccepts = full.getLocalPort();
    }

    /** @return a URL of a page of {@code size} bytes made from {@code seed} */
    String pageUrl(int size, long seed) {
        return "http://127.0.0.1:" + this.http.getAddress().getPort() + "/page?size=" + size + "&seed=" + seed;
    }

    String silentUrl() {
        return "http://127.0.0.1:" + this.silent + "/";
    }

    String notHttpUrl() {
        return "http://127.0.0.1:" + this.notHttp + "/";
    }

    String endlessHeadersUrl() {
        return "http://127.0.0.1:" + this.endlessHeaders + "/";
    }

    String refusedUrl() {
        return "http://127.0.0.1:" + this.refused + "/";
    }

    int refusedPort() {
        return this.refused;
    }

    String neverAcceptsUrl() {
        return "http://127.0.0.1:" + this.neverAccepts + "/";
    }

    /** The page {@code /page?size=..&seed=..} serves. */
    static byte[] page(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return body;
    }

    // ---------------------------------------------------------------- hostile upstreams

    private void silent(Socket socket) throws IOException {
        readRequest(socket);
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) { // until the demo gives up (its read timeout) and closes
        }
    }

    private void notHttp(Socket socket) throws IOException {
        readRequest(socket);
        socket.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.shutdownOutput();
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
        }
    }

    private void endlessHeaders(Socket socket) throws IOException {
        readRequest(socket);
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] header = ("X-Filler: " + "x".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            for (int sent = 0; sent < 16 * 1024 * 1024; sent += header.length) { // bounded; the demo stops at 256 KiB
                out.write(header);
            }
        }
        catch (SocketException ex) {
            // the demo closed the connection once the response passed its limit
        }
    }

    /** Reads the request head, so that closing does not reset the connection with unread bytes. */
    private static void readRequest(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        for (int count = 0; count < 64 * 1024; count++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
            if (matched == end.length) {
                return;
            }
        }
    }

    private interface Handler {

        void handle(Socket socket) throws IOException;

    }

    private int listen(Handler handler) throws IOException {
        ServerSocket listener = new ServerSocket(0, 64, RawHttp.LOOPBACK);
        this.listeners.add(listener);
        Thread acceptor = new Thread(() -> accept(listener, (socket) -> this.rawThreads.execute(() -> {
            try (socket) {
                socket.setSoTimeout(30_000);
                handler.handle(socket);
            }
            catch (IOException ex) {
                // the demo went away: nothing to do for an upstream
            }
        })), "soak-upstream-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return listener.getLocalPort();
    }

    private static void accept(ServerSocket listener, Consumer<Socket> handler) {
        while (!listener.isClosed()) {
            try {
                handler.accept(listener.accept());
            }
            catch (IOException ex) {
                // closed at the end
            }
            catch (RuntimeException ex) {
                // the pool was shut down at the end
            }
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return values;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return (runnable) -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() throws IOException, InterruptedException {
        this.http.stop(0);
        for (ServerSocket listener : this.listeners) {
            listener.close();
        }
        for (Socket filler : this.fillers) {
            filler.close();
        }
        this.rawThreads.shutdownNow();
        this.httpThreads.shutdownNow();
        this.rawThreads.awaitTermination(10, TimeUnit.SECONDS);
        this.httpThreads.awaitTermination(10, TimeUnit.SECONDS);
    }

}
