package io.github.asyncore.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Direct memory running out, for real: {@link DirectMemoryFloodServer} in a JVM of its own with
 * {@code -XX:MaxDirectMemorySize=8m} broadcasts to two subscribers that never read and one that reads,
 * without output limits and with the loop's own ceiling out of the way. When the JVM refuses a chunk,
 * the channels holding the memory must be closed with {@link CloseReason#OUTPUT_LIMIT}, and the loop
 * must go on: the reading subscriber keeps receiving and an echo on the same loop keeps answering.
 */
class DirectMemoryExhaustionTest {

    private static final Pattern PORTS = Pattern.compile("ports (\\d+) (\\d+)");

    private static final Pattern CLOSED = Pattern.compile("closed (\\d+) (\\w+)");

    private final List<String> output = new CopyOnWriteArrayList<>();

    private Process server;

    @AfterEach
    void stop() throws Exception {
        if (this.server != null) {
            this.server.getOutputStream().close(); // the server stops at the end of its input
            if (!this.server.waitFor(10, TimeUnit.SECONDS)) {
                this.server.destroyForcibly();
            }
        }
    }

    @Test
    void theSubscribersThatHoldTheMemoryAreClosedAndTheLoopServesTheOthers() throws Exception {
        this.server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=8m", "-Xmx128m",
                "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile"), "-cp", System.getProperty("java.class.path"),
                DirectMemoryFloodServer.class.getName())
            .redirectErrorStream(true)
            .start();
        Thread pump = new Thread(this::pumpOutput, "direct-memory-server-output");
        pump.setDaemon(true);
        pump.start();
        Matcher ports = await("the server's ports").atMost(LoopFixture.WAIT)
            .until(() -> find(PORTS), (matcher) -> matcher != null);
        int subscriberPort = Integer.parseInt(ports.group(1));
        int echoPort = Integer.parseInt(ports.group(2));

        try (Socket echo = connect(echoPort, 0); Socket silent1 = connect(subscriberPort, 8 * 1024);
                Socket silent2 = connect(subscriberPort, 8 * 1024); Socket reader = connect(subscriberPort, 0)) {
            assertThat(roundTrip(echo)).isLessThan(TimeUnit.SECONDS.toNanos(5));
            AtomicLong read = new AtomicLong();
            Thread reading = new Thread(() -> drain(reader, read), "reading-subscriber");
            reading.setDaemon(true);
            reading.start();

            for (Socket silent : List.of(silent1, silent2)) {
                await("the silent subscriber on port " + silent.getLocalPort() + " closed for its output")
                    .atMost(java.time.Duration.ofSeconds(45))
                    .until(() -> closeReason(silent.getLocalPort()), "OUTPUT_LIMIT"::equals);
            }
            // the loop goes on: the reader keeps receiving and the echo answers
            long before = read.get();
            await("the reading subscriber, still receiving").atMost(LoopFixture.WAIT).until(() -> read.get() > before + 1024 * 1024);
            for (int i = 0; i < 20; i++) {
                assertThat(roundTrip(echo)).as("echo round trip after the closes, ns").isLessThan(TimeUnit.SECONDS.toNanos(5));
            }
            assertThat(closeReason(reader.getLocalPort())).as("the reading subscriber was not closed").isNull();
            assertThat(closeReason(echo.getLocalPort())).isNull();
        }
        String stats = await("the server's counters").atMost(LoopFixture.WAIT)
            .until(this::lastStats, (line) -> line != null && line.contains("memoryCloses=2"));
        assertThat(stats).contains("running=true", "failure=null");
        assertThat(String.join("\n", this.output)).as("the server's output")
            .contains("ran out of output memory")
            .contains("direct buffer memory")
            .doesNotContain("the loop thread")
            .doesNotContain("Exception in thread");
    }

    private String closeReason(int peerPort) {
        for (String line : this.output) {
            Matcher closed = CLOSED.matcher(line);
            if (closed.matches() && Integer.parseInt(closed.group(1)) == peerPort) {
                return closed.group(2);
            }
        }
        return null;
    }

    private String lastStats() {
        String last = null;
        for (String line : this.output) {
            if (line.startsWith("stats ")) {
                last = line;
            }
        }
        return last;
    }

    private Matcher find(Pattern pattern) {
        for (String line : this.output) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.matches()) {
                return matcher;
            }
        }
        return null;
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(this.server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                this.output.add(line);
            }
        }
        catch (IOException ex) {
            // the server ended
        }
    }

    private static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static long roundTrip(Socket echo) throws IOException {
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        echo.getOutputStream().write(ping);
        assertThat(echo.getInputStream().readNBytes(ping.length)).isEqualTo(ping);
        return System.nanoTime() - start;
    }

    private static void drain(Socket socket, AtomicLong read) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = socket.getInputStream();
            int count;
            while ((count = in.read(buffer)) > 0) {
                read.addAndGet(count);
            }
        }
        catch (IOException ex) {
            // closed at the end of the test
        }
    }

}
