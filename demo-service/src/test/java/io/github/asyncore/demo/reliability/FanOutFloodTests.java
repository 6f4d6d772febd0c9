package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.asyncore.demo.soak.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.github.asyncore.demo.reliability.ProcessProbe.MEBIBYTE;
import static io.github.asyncore.demo.reliability.ProcessProbe.mebibytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out flood that used to take the whole service down, against the demo in a JVM of its own with
 * the heap a pod gets ({@code -Xmx256m}): two chat clients that never read, one that floods the room as
 * fast as it can for 10 s (the per-sender line rate raised out of the way, so that the output limits are
 * what holds), ten ordinary chatters and an echo client. The silent chatters must be closed for their
 * output, every ordinary chatter must receive every line sent to the room, in order, the echo must keep
 * answering, memory must stay bounded, and afterwards channels, descriptors and memory must be back where
 * they were.
 */
class FanOutFloodTests {

    private static final Logger logger = LoggerFactory.getLogger(FanOutFloodTests.class);

    private static final Duration FLOOD = Duration.ofSeconds(10);

    private static final int CHATTERS = 10;

    private static final int SILENT = 2;

    /** The flooder writes this many lines at a time, as fast as the server takes them. */
    private static final int FLOOD_BATCH = 256;

    /**
     * Output memory the loop may lend at the worst moment: the two silent chatters up to their hard limit
     * (4 MiB each), every other session up to its high water mark (64 KiB) plus one read's worth of relayed
     * lines (64 KiB), and a chunk of rounding each.
     */
    private static final long OUTPUT_MEMORY_BOUND = SILENT * 4 * MEBIBYTE + (CHATTERS + 1) * (128 * 1024 + 16 * 1024);

    /**
     * Direct buffer memory of the whole JVM: the output memory above, the loop's idle chunks (at most 4 MiB),
     * its read buffer and what the JDK and Tomcat keep (under 2 MiB in the soak's runs), with room to spare.
     */
    private static final long DIRECT_MEMORY_BOUND = 32 * MEBIBYTE;

    /** How much more the heap (after a full GC), and the direct buffers, may hold at the end than before. */
    private static final long MEMORY_SLACK = 16 * MEBIBYTE;

    private static final int DESCRIPTOR_SLACK = 8;

    private final List<Socket> sockets = new ArrayList<>();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    private DemoServer server;

    @AfterEach
    void stop() throws Exception {
        this.scheduler.shutdownNow();
        for (Socket socket : this.sockets) {
            socket.close();
        }
        this.threads.shutdownNow();
        assertThat(this.threads.awaitTermination(10, TimeUnit.SECONDS)).as("client threads ended").isTrue();
        if (this.server != null) {
            this.server.close();
        }
    }

    @Test
    void silentChattersAreClosedForTheirOutputWhileEveryoneElseIsServedInFull(@TempDir Path directory)
            throws Exception {
        this.server = DemoServer.start(directory, List.of("-Xms64m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--demo.chat.max-lines-per-second=1000000", "--demo.chat.burst=1000000"));
        DemoServer.Ports ports = this.server.ports();
        Map<String, Integer> listeners = this.server.channelsByKind();
        Measurement baseline = measure();

        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < SILENT; i++) {
            Socket socket = connect(ports.chat());
            readLine(socket.getInputStream()); // the welcome; then it reads nothing more
            silent.add(socket);
        }
        List<Chatter> chatters = new ArrayList<>();
        for (int i = 0; i < CHATTERS; i++) {
            chatters.add(new Chatter("c" + i, connect(ports.chat())));
        }
        Chatter flooder = new Chatter("flooder", connect(ports.chat()));
        List<String> everyone = new ArrayList<>(chatters.stream().map(Chatter::nick).toList());
        everyone.add(flooder.nick());
        for (Chatter chatter : chatters) {
            chatter.awaitLine(" is now flooder"); // the last to join: everybody is in the room
        }

        // the readers, the ordinary chatters' own lines, the flood, and a look at the server's memory
        List<Future<Map<String, Long>>> heard = new ArrayList<>();
        for (Chatter chatter : chatters) {
            List<String> others = new ArrayList<>(everyone);
            others.remove(chatter.nick());
            heard.add(this.threads.submit(() -> chatter.readUntilEnd(others)));
        }
        this.threads.submit(flooder::discardInput);
        List<Future<?>> talk = new ArrayList<>();
        for (Chatter chatter : chatters) {
            talk.add(this.scheduler.scheduleAtFixedRate(chatter::talk, 50, 200, TimeUnit.MILLISECONDS));
        }
        long floodEnd = System.nanoTime() + FLOOD.toNanos();
        Future<Long> flood = this.threads.submit(() -> flooder.flood(floodEnd));
        AtomicReference<Memory> peak = new AtomicReference<>(new Memory(0, 0, 0));
        Future<?> sampling = this.scheduler.scheduleAtFixedRate(() -> peak.accumulateAndGet(sampleMemory(), Memory::max),
                0, 100, TimeUnit.MILLISECONDS);
        long worstEcho = 0;
        int echoes = 0;
        try (Socket echo = connect(ports.echo())) {
            byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
            while (!flood.isDone()) {
                long start = System.nanoTime();
                echo.getOutputStream().write(ping);
                assertThat(echo.getInputStream().readNBytes(ping.length)).isEqualTo(ping);
                worstEcho = Math.max(worstEcho, System.nanoTime() - start);
                echoes++;
            }
        }
        long floodLines = flood.get(FLOOD.toSeconds() + 30, TimeUnit.SECONDS);
        sampling.cancel(false);
        for (Future<?> talking : talk) {
            talking.cancel(false);
        }
        for (Chatter chatter : chatters) {
            chatter.sendEnd();
        }

        // every ordinary chatter heard every line of the flooder and of every other chatter, in order
        for (int i = 0; i < CHATTERS; i++) {
            Map<String, Long> lines = heard.get(i).get(60, TimeUnit.SECONDS);
            assertThat(lines.get("flooder")).as("flood lines %s heard", chatters.get(i).nick()).isEqualTo(floodLines);
            for (Chatter other : chatters) {
                if (other != chatters.get(i)) {
                    assertThat(lines.get(other.nick())).as("lines of %s that %s heard", other.nick(),
                            chatters.get(i).nick()).isEqualTo(other.sent());
                }
            }
        }
        // the silent chatters were closed for their output: the counter says so, and their sockets end
        await("both silent chatters closed for their output").atMost(Duration.ofSeconds(30))
            .until(() -> this.server.metric("asyncore.output.limit.closes") == SILENT);
        for (Socket socket : silent) {
            assertThat(readToEnd(socket.getInputStream())).as("what the silent chatter's kernel buffers held")
                .isPositive();
        }
        assertThat(Files.readString(this.server.log())).as("the server's log")
            .contains("bytes of output pending, over its output-")
            .doesNotContain("failed; closing its");
        Memory most = peak.get();
        assertThat(most.outputMemory()).as("most output memory lent at once").isLessThanOrEqualTo(OUTPUT_MEMORY_BOUND);
        assertThat(most.direct()).as("most direct buffer memory").isLessThanOrEqualTo(DIRECT_MEMORY_BOUND);
        assertThat(most.heap()).as("most heap in use").isLessThan(256 * MEBIBYTE);
        assertThat(worstEcho).as("worst echo round trip during the flood, ns").isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(this.server.health()).isEqualTo("UP");
        long stalls = (long) this.server.metric("asyncore.loop.stalls");

        // afterwards: only the listeners, and descriptors and memory back to where they were
        for (Socket socket : this.sockets) {
            socket.close();
        }
        await("only the listeners left").atMost(Duration.ofSeconds(30))
            .until(() -> this.server.channelsByKind().equals(listeners));
        await("descriptors back to the baseline").atMost(Duration.ofSeconds(30))
            .until(() -> this.server.metric("process.files.open") <= baseline.descriptors() + DESCRIPTOR_SLACK);
        Measurement end = measure();
        assertThat(end.heap()).as("heap after GC, against %s before", mebibytes(baseline.heap()))
            .isLessThanOrEqualTo(baseline.heap() + MEMORY_SLACK);
        assertThat(end.direct()).as("direct buffers, against %s before", mebibytes(baseline.direct()))
            .isLessThanOrEqualTo(baseline.direct() + MEMORY_SLACK);
        assertThat(end.outputMemory()).isZero();
        assertThat(this.server.isAlive()).isTrue();
        logger.info("fan-out flood: {} flood lines in {} s to {} chatters; silent chatters closed by their output limits;"
                + " {} echoes, worst {} ms; peak output memory {}, direct {}, heap {}; heap after GC {} -> {}, direct {}"
                + " -> {}, descriptors {} -> {}; {} loop stalls", floodLines, FLOOD.toSeconds(), CHATTERS, echoes,
                TimeUnit.NANOSECONDS.toMillis(worstEcho), mebibytes(most.outputMemory()), mebibytes(most.direct()),
                mebibytes(most.heap()), mebibytes(baseline.heap()), mebibytes(end.heap()),
                mebibytes(baseline.direct()), mebibytes(end.direct()), baseline.descriptors(), end.descriptors(), stalls);
    }

    private Measurement measure() throws Exception {
        this.server.gc();
        return new Measurement((long) this.server.metric("jvm.memory.used", "area:heap"),
                (long) this.server.metric("jvm.buffer.memory.used", "id:direct"),
                (long) this.server.metric("asyncore.output.memory.used"),
                (long) this.server.metric("process.files.open"));
    }

    /** @return the server's memory now */
    private Memory sampleMemory() {
        try {
            return new Memory((long) this.server.metric("asyncore.output.memory.used"),
                    (long) this.server.metric("jvm.buffer.memory.used", "id:direct"),
                    (long) this.server.metric("jvm.memory.used", "area:heap"));
        }
        catch (IOException ex) {
            throw new IllegalStateException("reading the server's meters failed", ex);
        }
    }

    private Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        this.sockets.add(socket);
        return socket;
    }

    /** Reads one line byte by byte: for the few lines before a client's own reader takes over. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("end of stream in a line: " + line);
            }
            line.append((char) b);
        }
        return line.toString().stripTrailing();
    }

    /** Lines off a socket, cheaply: the ordinary chatters read megabytes a second each during the flood. */
    private static final class Lines {

        private final InputStream in;

        private final byte[] buffer = new byte[64 * 1024];

        private int position;

        private int limit;

        Lines(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            int start = this.position;
            while (true) {
                for (int i = this.position; i < this.limit; i++) {
                    if (this.buffer[i] == '\n') {
                        int end = (i > start && this.buffer[i - 1] == '\r') ? i - 1 : i;
                        this.position = i + 1;
                        return new String(this.buffer, start, end - start, StandardCharsets.UTF_8);
                    }
                }
                if (start > 0) { // keep the partial line, at the front
                    System.arraycopy(this.buffer, start, this.buffer, 0, this.limit - start);
                    this.limit -= start;
                    start = 0;
                }
                if (this.limit == this.buffer.length) {
                    throw new IOException("a line longer than " + this.buffer.length + " bytes");
                }
                this.position = this.limit;
                int read = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
                if (read < 0) {
                    throw new IOException("end of stream");
                }
                this.limit += read;
            }
        }

    }

    /** @return the bytes read until end-of-stream or a reset */
    private static long readToEnd(InputStream in) {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
            }
        }
        catch (IOException ex) {
            // a reset: the server closed with unread bytes, or dropped what it still owed
        }
        return total;
    }

    /** Memory of the server at one moment, or the largest of several. */
    private record Memory(long outputMemory, long direct, long heap) {

        Memory max(Memory other) {
            return new Memory(Math.max(this.outputMemory, other.outputMemory), Math.max(this.direct, other.direct),
                    Math.max(this.heap, other.heap));
        }

    }

    /** The server after a full GC. */
    private record Measurement(long heap, long direct, long outputMemory, long descriptors) {
    }

    /** A chatter with a nick: writes its own numbered lines, reads and checks everyone else's. */
    private static final class Chatter {

        private final String nick;

        private final Socket socket;

        private final Lines in;

        private final OutputStream out;

        private final AtomicLong sent = new AtomicLong();

        Chatter(String nick, Socket socket) throws IOException {
            this.nick = nick;
            this.socket = socket;
            this.in = new Lines(socket.getInputStream());
            this.out = socket.getOutputStream();
            this.in.next(); // the welcome
            write("/nick " + nick + "\n");
            awaitLine("* you are now " + nick);
        }

        String nick() {
            return this.nick;
        }

        long sent() {
            return this.sent.get();
        }

        /** Reads the room's news (at most 100 lines) up to one that contains the text. */
        void awaitLine(String text) throws IOException {
            for (int i = 0; i < 100; i++) {
                if (this.in.next().contains(text)) {
                    return;
                }
            }
            throw new AssertionError(this.nick + " did not hear '" + text + "' within 100 lines");
        }

        /** Writes flood lines as fast as the server takes them until the deadline; returns how many. */
        long flood(long deadlineNanos) throws IOException {
            StringBuilder batch = new StringBuilder(FLOOD_BATCH * 64);
            long count = 0;
            while (System.nanoTime() - deadlineNanos < 0) {
                batch.setLength(0);
                for (int i = 0; i < FLOOD_BATCH; i++) {
                    batch.append("f ").append(count++).append(" the quick brown fox jumps over the lazy dog\n");
                }
                write(batch.toString());
            }
            write("f END\n");
            return count;
        }

        /** One line of its own, numbered. */
        void talk() {
            try {
                write("m " + this.sent.get() + " from " + this.nick + "\n");
                this.sent.incrementAndGet();
            }
            catch (IOException ex) {
                throw new IllegalStateException(this.nick + " could not write", ex);
            }
        }

        void sendEnd() throws IOException {
            write("m END\n");
        }

        /**
         * Reads until every other chatter sent its END line, checking that each one's lines arrive numbered
         * from 0 without a gap.
         * @return how many numbered lines of each other chatter arrived
         */
        Map<String, Long> readUntilEnd(List<String> others) throws IOException {
            Map<String, Long> next = new HashMap<>();
            List<String> ended = new ArrayList<>();
            while (ended.size() < others.size()) {
                String line = this.in.next();
                if (line.startsWith("* ")) {
                    continue; // the room's news
                }
                int close = line.indexOf("] ");
                assertThat(line).as("a line %s heard", this.nick).startsWith("[");
                String from = line.substring(1, close);
                String[] words = line.substring(close + 2).split(" ", 3);
                if (words[1].equals("END")) {
                    ended.add(from);
                    continue;
                }
                long number = Long.parseLong(words[1]);
                long expected = next.getOrDefault(from, 0L);
                if (number != expected) {
                    throw new AssertionError(this.nick + " heard line " + number + " of " + from + " where " + expected
                            + " was next");
                }
                next.put(from, expected + 1);
            }
            assertThat(ended).as("the chatters whose end %s heard", this.nick).containsExactlyInAnyOrderElementsOf(others);
            return next;
        }

        void discardInput() {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream input = this.socket.getInputStream();
                while (input.read(buffer) > 0) {
                    // the flooder does not care what the others say, but reads it: it is no slow reader
                }
            }
            catch (IOException ex) {
                // closed at the end of the test
            }
        }

        private synchronized void write(String text) throws IOException {
            this.out.write(text.getBytes(StandardCharsets.UTF_8));
            this.out.flush();
        }

        @Override
        public String toString() {
            return this.nick + " " + this.socket.getLocalPort();
        }

    }

}
