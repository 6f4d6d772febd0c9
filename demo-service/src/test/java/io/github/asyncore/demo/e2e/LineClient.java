package io.github.asyncore.demo.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** A chat client as {@code nc} would be: writes lines, reads lines, every read bounded by a timeout. */
public final class LineClient implements AutoCloseable {

    private final Socket socket;

    private final BufferedReader in;

    private final OutputStream out;

    public LineClient(SocketAddress address) throws IOException {
        InetSocketAddress inet = (InetSocketAddress) address;
        this.socket = new Socket();
        this.socket.connect(new InetSocketAddress("127.0.0.1", inet.getPort()), 5_000);
        this.socket.setSoTimeout(10_000);
        this.in = new BufferedReader(new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = this.socket.getOutputStream();
    }

    public SocketAddress localAddress() {
        return this.socket.getLocalSocketAddress();
    }

    public void send(String line) throws IOException {
        this.out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        this.out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        this.out.write(bytes);
        this.out.flush();
    }

    /** @return the next line, or {@code null} at end-of-stream */
    public String readLine() throws IOException {
        return this.in.readLine();
    }

    /** @return the next line that starts with the prefix, skipping others (at most 20) */
    public String readLineStartingWith(String prefix) throws IOException {
        return readLineWhere(prefix, (line) -> line.startsWith(prefix));
    }

    /** @return the next line that ends with the suffix, skipping others (at most 20) */
    public String readLineEndingWith(String suffix) throws IOException {
        return readLineWhere(suffix, (line) -> line.endsWith(suffix));
    }

    private String readLineWhere(String what, Predicate<String> wanted) throws IOException {
        for (int i = 0; i < 20; i++) {
            String line = readLine();
            if (line == null || wanted.test(line)) {
                return line;
            }
        }
        throw new IllegalStateException("no line with '" + what + "' within 20 lines");
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

}
