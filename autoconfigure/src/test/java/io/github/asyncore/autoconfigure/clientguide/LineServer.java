package io.github.asyncore.autoconfigure.clientguide;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A plain blocking line server on 127.0.0.1 for the client tests, standing in for the remote service: it
 * serves one connection at a time, records every line it reads, and answers {@code SUBSCRIBE x} with
 * {@code PRICE x 1.08}. It can stop and start again on the same port.
 */
final class LineServer implements AutoCloseable {

    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private volatile ServerSocket server;

    private volatile Socket connection;

    private LineServer() {
    }

    /** @return a server listening on a free port */
    static LineServer start() throws IOException {
        LineServer server = new LineServer();
        server.listen(0);
        return server;
    }

    int port() {
        return this.server.getLocalPort();
    }

    /** Closes the listening socket and the connection: the client reads end-of-stream, new connects are refused. */
    void stop() throws IOException {
        this.server.close();
        Socket current = this.connection;
        if (current != null) {
            current.close();
        }
    }

    /** Listens again on the port it had. */
    void restart(int port) throws IOException {
        listen(port);
    }

    private void listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        this.server = socket;
        Thread thread = new Thread(() -> serve(socket), "line-server");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(ServerSocket socket) {
        try {
            while (!socket.isClosed()) {
                try (Socket accepted = socket.accept()) {
                    this.connection = accepted;
                    BufferedReader reader = new BufferedReader(
                            new InputStreamReader(accepted.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = accepted.getOutputStream();
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        this.lines.add(line);
                        if (line.startsWith("SUBSCRIBE ")) {
                            out.write(("PRICE " + line.substring(10) + " 1.08\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                }
                catch (SocketException ex) {
                    // stopped
                }
            }
        }
        catch (IOException ex) {
            // the test sees what did not arrive
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

}
