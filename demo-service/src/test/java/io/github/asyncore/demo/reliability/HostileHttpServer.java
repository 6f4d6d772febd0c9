package io.github.asyncore.demo.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server on 127.0.0.1 that answers every HTTP request badly: with headers that never end, sent as fast
 * as the client takes them, or with a header trickled a byte at a time. Each connection's outcome (bytes
 * sent, and whether the client cut it off) is recorded; every loop is bounded in bytes.
 */
final class HostileHttpServer implements AutoCloseable {

    /** The most an endless-headers answer sends before giving up on being cut off. */
    static final long ENDLESS_CAP = 64 * 1024 * 1024;

    /** The most connections the server accepts. */
    static final int MAX_CONNECTIONS = 50;

    /** The most bytes a trickled answer sends. */
    static final int TRICKLE_CAP = 100;

    private static final byte[] STATUS = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    private HostileHttpServer(Behaviour behaviour, Duration tricklePeriod) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads.execute(() -> {
            for (int i = 0; i < MAX_CONNECTIONS && !this.server.isClosed(); i++) {
                try {
                    Socket socket = this.server.accept();
                    socket.setSoTimeout(5_000);
                    this.accepted.add(socket);
                    Answer answer = new Answer();
                    this.answers.add(answer);
                    this.threads.execute(() -> serve(socket, behaviour, tricklePeriod, answer));
                }
                catch (IOException ex) {
                    return; // closed
                }
            }
        });
    }

    /** @return a server whose answers are a status line and then header lines without end, as fast as taken */
    static HostileHttpServer endlessHeaders() throws IOException {
        return new HostileHttpServer(Behaviour.ENDLESS_HEADERS, null);
    }

    /** @return a server whose answers are one byte of a header every {@code period}, never ending */
    static HostileHttpServer tricklingHeaders(Duration period) throws IOException {
        return new HostileHttpServer(Behaviour.TRICKLE, period);
    }

    String url() {
        return "http://127.0.0.1:" + this.server.getLocalPort() + "/hostile";
    }

    /** @return the answers begun so far, in the order their connections were accepted */
    List<Answer> answers() {
        return this.answers;
    }

    @Override
    public void close() throws Exception {
        this.server.close();
        for (Socket socket : this.accepted) {
            socket.close();
        }
        this.pacer.shutdownNow();
        this.threads.shutdownNow();
        if (!this.threads.awaitTermination(5, TimeUnit.SECONDS) || !this.pacer.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("hostile server threads did not end");
        }
    }

    private void serve(Socket socket, Behaviour behaviour, Duration tricklePeriod, Answer answer) {
        try {
            answer.request.set(readRequestHead(socket.getInputStream()));
            OutputStream out = socket.getOutputStream();
            if (behaviour == Behaviour.ENDLESS_HEADERS) {
                sendEndlessHeaders(out, answer);
            }
            else {
                trickle(out, tricklePeriod, answer);
            }
        }
        catch (IOException ex) {
            answer.cutOff(ex);
        }
    }

    private static void sendEndlessHeaders(OutputStream out, Answer answer) throws IOException {
        byte[] block = endlessHeaderBlock();
        answer.sent.addAndGet(STATUS.length); // counted before the write: a block cut off half way counts
        out.write(STATUS);
        while (answer.sent.get() < ENDLESS_CAP) {
            answer.sent.addAndGet(block.length);
            out.write(block);
        }
        answer.ended.complete(null); // never cut off: the test fails on it
    }

    private void trickle(OutputStream out, Duration period, Answer answer) {
        byte[] text = trickledHeader();
        AtomicReference<ScheduledFuture<?>> pacing = new AtomicReference<>();
        pacing.set(this.pacer.scheduleAtFixedRate(() -> {
            int next = (int) answer.sent.get();
            if (next >= TRICKLE_CAP || answer.ended.isDone()) {
                answer.ended.complete(null);
                pacing.get().cancel(false);
                return;
            }
            try {
                out.write(text[next % text.length]);
                answer.sent.incrementAndGet();
            }
            catch (IOException ex) {
                answer.cutOff(ex);
                pacing.get().cancel(false);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS));
    }

    private static String readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 8192) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] endlessHeaderBlock() {
        StringBuilder block = new StringBuilder();
        for (int i = 0; block.length() < 8192; i++) {
            block.append("X-Endless-").append(i).append(": ").append("a".repeat(100)).append("\r\n");
        }
        return block.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] trickledHeader() {
        return ("HTTP/1.1 200 OK\r\nX-Slow: " + "s".repeat(200)).getBytes(StandardCharsets.US_ASCII);
    }

    private enum Behaviour {

        ENDLESS_HEADERS, TRICKLE

    }

    /** One connection's answer. */
    static final class Answer {

        /** Bytes sent; for endless headers, bytes handed to the socket including a block whose write failed. */
        final AtomicLong sent = new AtomicLong();

        final AtomicReference<String> request = new AtomicReference<>();

        /** Completes when the answer ends: exceptionally when the client cut it off (a failed write). */
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        private void cutOff(IOException ex) {
            this.ended.completeExceptionally(ex);
        }

        /** @return whether the client went away while the answer was being sent */
        boolean wasCutOff() {
            return this.ended.isCompletedExceptionally();
        }

    }

}
