package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.asyncore.demo.DemoApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to the demo service as a separate process, while a client streams through the echo server:
 * the listeners close first, every byte the server read comes back, and the stream ends cleanly.
 */
class SigtermShutdownTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sigtermRefusesNewConnectionsDrainsEveryEchoAndClosesCleanly(@TempDir Path directory) throws Exception {
        int echo = freePort();
        int management = freePort();
        Path log = directory.resolve("demo.log");
        Process demo = start(echo, management, log);
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get("http://127.0.0.1:" + management + "/actuator/health/readiness") == 200);
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", echo), 5_000);
                client.setSoTimeout(20_000);
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> stream(client, stop));
                InputStream in = client.getInputStream();
                byte[] buffer = new byte[8192];
                long received = 0;
                while (received < 4 * 1024 * 1024) { // streaming for real before the signal
                    received += verify(buffer, in.read(buffer), received);
                }
                demo.destroy(); // SIGTERM
                await().atMost(Duration.ofSeconds(20)).until(() -> refused(echo));
                int read;
                while ((read = in.read(buffer)) != -1) { // a reset would throw here
                    received += verify(buffer, read, received);
                }
                stop.set(true);
                long sent = writer.get(20, TimeUnit.SECONDS);
                assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String output = Files.readString(log);
                Matcher totals = Pattern.compile("(\\d+) bytes read and (\\d+) written in all").matcher(output);
                assertThat(totals.find()).as(output).isTrue();
                assertThat(received).as("every byte the server read came back")
                    .isEqualTo(Long.parseLong(totals.group(1)))
                    .isEqualTo(Long.parseLong(totals.group(2)))
                    .isLessThanOrEqualTo(sent);
                assertThat(output).contains("0 aborted at the deadline with 0 bytes unsent");
            }
        }
        finally {
            demo.destroyForcibly();
        }
    }

    private static Process start(int echo, int management, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DemoApplication.class.getName(),
                "--server.port=0", "--server.address=127.0.0.1", "--management.server.port=" + management,
                "--management.server.address=127.0.0.1", "--asyncore.dispatchers.echoServer.address=127.0.0.1:" + echo,
                "--asyncore.dispatchers.chatServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Writes a counting pattern until told to stop (or the server closed); returns the bytes written. */
    private static long stream(Socket client, AtomicBoolean stop) {
        long sent = 0;
        byte[] chunk = new byte[4096];
        try {
            OutputStream out = client.getOutputStream();
            while (!stop.get() && sent < 1024L * 1024 * 1024) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) ((sent + i) % 251);
                }
                out.write(chunk);
                sent += chunk.length;
            }
            client.shutdownOutput();
        }
        catch (IOException ex) {
            // the server half-closed; what it read is what counts
        }
        return sent;
    }

    private static int verify(byte[] buffer, int length, long offset) {
        assertThat(length).isPositive();
        for (int i = 0; i < length; i++) {
            if (buffer[i] != (byte) ((offset + i) % 251)) {
                throw new AssertionError("byte " + (offset + i) + " is corrupt");
            }
        }
        return length;
    }

    private static boolean refused(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        }
        catch (ConnectException ex) {
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static int get(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
