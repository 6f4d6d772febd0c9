package io.github.asyncore.demo.soak;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * A chat client as {@code nc} would be: writes lines, reads lines. Other clients chat at the same time,
 * so a wanted line is looked for among others; every read is bounded by the scenario's deadline.
 */
final class ChatClient implements Closeable {

    private static final String WELCOME = "* welcome to the asyncore chat, ";

    private final Socket socket;

    private final BufferedReader in;

    private final OutputStream out;

    private final long deadline;

    private final String guest;

    ChatClient(int port, long deadline) throws IOException {
        this.deadline = deadline;
        this.socket = new Socket();
        try {
            this.socket.connect(new InetSocketAddress(RawHttp.LOOPBACK, port), 5_000);
            this.in = new BufferedReader(new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = this.socket.getOutputStream();
            String welcome = readLine();
            if (welcome == null || !welcome.startsWith(WELCOME)) {
                throw new ScenarioFailure("chat: no welcome", "first line: " + welcome);
            }
            this.guest = welcome.substring(WELCOME.length(), welcome.indexOf(';'));
        }
        catch (IOException | RuntimeException ex) {
            this.socket.close();
            throw ex;
        }
    }

    /** @return the nick the server gave on joining ({@code guest-N}) */
    String guest() {
        return this.guest;
    }

    Socket socket() {
        return this.socket;
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        this.out.write(bytes);
        this.out.flush();
    }

    /** @return the next line, or {@code null} at end-of-stream */
    String readLine() throws IOException {
        long left = this.deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("scenario deadline passed");
        }
        this.socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        return this.in.readLine();
    }

    /**
     * Reads lines, skipping other chatters', until one is wanted.
     * @throws ScenarioFailure at end-of-stream or the deadline
     */
    String await(String what, Predicate<String> wanted) throws IOException {
        int skipped = 0;
        while (true) {
            String line;
            try {
                line = readLine();
            }
            catch (SocketTimeoutException ex) {
                throw new ScenarioFailure("chat: line missing", "no " + what + " before the deadline (" + skipped
                        + " other lines)");
            }
            if (line == null) {
                throw new ScenarioFailure("chat: unexpected end-of-stream", "end-of-stream while waiting for " + what
                        + " (" + skipped + " other lines)");
            }
            if (wanted.test(line)) {
                return line;
            }
            skipped++;
        }
    }

    /**
     * Expects the end of the session next.
     * @throws ScenarioFailure when a line or nothing comes instead
     */
    void expectEndOfStream(String after) throws IOException {
        String line;
        try {
            line = readLine();
        }
        catch (SocketTimeoutException ex) {
            throw new ScenarioFailure("chat: no end-of-stream", "the session stayed open after " + after);
        }
        if (line != null) {
            throw new ScenarioFailure("chat: line after the last", "'" + RawHttp.abbreviate(line) + "' after " + after);
        }
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

}
