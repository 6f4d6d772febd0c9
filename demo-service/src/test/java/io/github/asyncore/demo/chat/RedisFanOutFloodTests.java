package io.github.asyncore.demo.chat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.asyncore.demo.e2e.LineClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out flood of {@code reliability.FanOutFloodTests} across two pods: two demo contexts sharing a real
 * {@code redis-server} with {@code demo.chat.relay=redis}, each with two chatters that never read (small
 * receive buffers), one chatter on the first instance flooding the room as fast as the server takes its lines
 * (the per-sender line rate raised out of the way, as FanOutFloodTests does, so that the output limits are what
 * holds), and one chatter on the second instance that reads. The silent chatters of the second instance get
 * the flood only through Redis, so they are filled by the relay's subscription thread, off every loop. The
 * chat server keeps the demo's own output limits (4 MB hard, 1 MB for 10 s soft).
 * <p>
 * The silent chatters of both instances must be closed for their output, and nobody else; the reader on the
 * second instance must hear the flood while it lasts, in order and never twice, and a line said after it; the
 * echo of both instances must keep answering; every flood line must be either published to Redis or counted
 * as dropped by the relay's bounded queue, and the second instance must receive every line the first
 * published.
 */
class RedisFanOutFloodTests {

    private static final Logger logger = LoggerFactory.getLogger(RedisFanOutFloodTests.class);

    /** Silent chatters on each instance. */
    private static final int SILENT = 2;

    /** The flood goes on until every silent chatter is closed, but never longer than this. */
    private static final Duration MAX_FLOOD = Duration.ofSeconds(20);

    /** How long the flood goes on at least, so that the reader has something to hear during it. */
    private static final Duration MIN_FLOOD = Duration.ofSeconds(2);

    /** The flooder writes this many lines at a time, as fast as the server takes them. */
    private static final int FLOOD_BATCH = 256;

    /**
     * What follows a flood line's number: 880 bytes, under the chat's 1 KB line limit with the number. The relay
     * publishes one line per Redis round trip, so the second instance's silent chatters, which hear the flood
     * only through Redis, fill as fast as the lines are long (with FanOutFloodTests's 45-byte lines they took
     * some 18 s to pass the hard limit here); longer lines also cost the flooded loop less per byte.
     */
    private static final String FLOOD_TEXT = " the quick brown fox jumps over the lazy dog".repeat(20);

    /** Every other wait: for a line, a meter, the relay to drain. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * How long a line said after the flood may take to reach the other instance: it waits behind what the
     * relay's queue holds (up to 10,000 lines, some 4 s of publishing here).
     */
    private static final Duration AFTER_WAIT = Duration.ofSeconds(20);

    /** The longest an echo may take during the flood (the soak's bound is 1 s with the demo in a JVM of its own). */
    private static final Duration ECHO_BOUND = Duration.ofSeconds(2);

    /** A flood line as a chatter hears it; group 1 is its number. */
    private static final Pattern FLOOD_LINE = Pattern.compile("^\\[[^\\]]+\\] f (\\d+) ");

    private final List<Socket> sockets = new ArrayList<>();

    private final List<LineClient> clients = new ArrayList<>();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** As FanOutFloodTests: the per-sender rate out of the way, so that the output limits are what holds. */
    private static final String[] UNLIMITED_LINES = { "--demo.chat.max-lines-per-second=1000000",
            "--demo.chat.burst=1000000" };

    private RedisServer redis;

    private ConfigurableApplicationContext first;

    private ConfigurableApplicationContext second;

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : this.sockets) {
            socket.close();
        }
        for (LineClient client : this.clients) {
            client.close();
        }
        this.threads.shutdownNow();
        assertThat(this.threads.awaitTermination(10, TimeUnit.SECONDS)).as("client threads ended").isTrue();
        if (this.first != null) {
            this.first.close();
        }
        if (this.second != null) {
            this.second.close();
        }
        if (this.redis != null) {
            this.redis.stop();
        }
    }

    @Test
    @Timeout(120) // a backstop only: every wait below is bounded on its own
    void silentChattersOnBothInstancesAreClosedWhileTheRelayAndTheLoopsGoOn() throws Exception {
        this.redis = RedisServer.startOnFreePort();
        this.first = this.redis.startDemo(UNLIMITED_LINES);
        this.second = this.redis.startDemo(UNLIMITED_LINES);
        RedisChatRelay firstRelay = this.first.getBean(RedisChatRelay.class);
        RedisChatRelay secondRelay = this.second.getBean(RedisChatRelay.class);
        await("both instances subscribed, and their probes found Redis").atMost(WAIT)
            .until(() -> this.redis.command("PUBSUB NUMSUB asyncore-demo:chat").endsWith(":2\r\n")
                    && firstRelay.connected() && secondRelay.connected());

        List<Socket> silent = new ArrayList<>();
        for (ConfigurableApplicationContext demo : List.of(this.first, this.second)) {
            for (int i = 0; i < SILENT; i++) {
                silent.add(silentChatter(demo));
            }
        }
        LineClient reader = join(this.second);
        LineClient flooder = join(this.first);
        // the relay works before the flood: the reader hears the flooder through Redis
        flooder.send("f-ready");
        assertThat(readUntil(reader, (line) -> line.endsWith("] f-ready"))).isNotNull();

        // the reader on the second instance, the flooder's own reader, the echoes, and the flood
        long floodStart = System.nanoTime();
        AtomicLong floodEnd = new AtomicLong(Long.MAX_VALUE);
        Future<Heard> heard = this.threads.submit(() -> hear(reader, floodEnd));
        this.threads.submit(() -> discard(flooder));
        BooleanSupplier flooding = () -> floodEnd.get() == Long.MAX_VALUE;
        Future<Echoes> firstEcho = this.threads.submit(() -> echo(this.first, flooding));
        Future<Echoes> secondEcho = this.threads.submit(() -> echo(this.second, flooding));
        Future<Long> flood = this.threads.submit(() -> flood(flooder, floodStart,
                () -> outputLimitCloses(this.first) >= SILENT && outputLimitCloses(this.second) >= SILENT));
        long floodLines = flood.get(MAX_FLOOD.plus(WAIT).toSeconds(), TimeUnit.SECONDS); // a write may block
        floodEnd.set(System.nanoTime());
        Duration floodTook = Duration.ofNanos(floodEnd.get() - floodStart);

        // after the flood, the relay still carries lines: one said now reaches the reader
        Heard reading = afterTheFlood(flooder, heard);
        Duration afterTook = Duration.ofNanos(System.nanoTime() - floodEnd.get());
        Echoes firstEchoes = firstEcho.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Echoes secondEchoes = secondEcho.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the silent chatters of both instances were closed for their output, and nobody else was
        assertThat(outputLimitCloses(this.first)).as("chatters of the first instance closed for their output")
            .isEqualTo(SILENT);
        assertThat(outputLimitCloses(this.second)).as("chatters of the second instance closed for their output")
            .isEqualTo(SILENT);
        await("only the flooder and the reader still connected").atMost(WAIT)
            .until(() -> chatConnections(this.first) == 1 && chatConnections(this.second) == 1);
        for (Socket socket : silent) {
            assertThat(readToEnd(socket)).as("what the silent chatter's kernel buffers held").isPositive();
        }
        // the reader heard the flood while it lasted, in order and never twice (hear checks that), and no more
        // than was sent
        assertThat(reading.duringFlood()).as("flood lines the reader heard during the flood").isPositive();
        assertThat(reading.floodLines()).as("flood lines the reader heard").isLessThanOrEqualTo(floodLines);
        // both loops kept serving
        for (Echoes echoes : List.of(firstEchoes, secondEchoes)) {
            assertThat(echoes.count()).as("echoes during the flood").isPositive();
            assertThat(echoes.worst()).as("worst echo round trip during the flood").isLessThan(ECHO_BOUND);
        }
        // every flood line was published or counted as dropped, and the other instance got all that was published
        await("the first instance's relay accounted for every flood line").atMost(WAIT)
            .until(() -> firstRelay.published() + firstRelay.dropped() >= floodLines);
        await("the second instance received every line the first published").atMost(WAIT)
            .until(() -> secondRelay.received() == firstRelay.published());
        assertThat(reading.floodLines()).as("flood lines the reader heard, against the lines published")
            .isLessThanOrEqualTo(firstRelay.published());
        assertThat(relayMeter(this.first, "demo.chat.relay.dropped")).isEqualTo(firstRelay.dropped());
        assertThat(firstRelay.connected()).isTrue();
        assertThat(secondRelay.connected()).isTrue();
        // a loop stalled for a moment by the flood (the JVM is shared by everything here) is DOWN only meanwhile
        await("both instances healthy").atMost(WAIT)
            .until(() -> health(this.first) == Status.UP && health(this.second) == Status.UP);

        logger.info("fan-out flood across two instances: {} flood lines in {} ms; the first instance published {}"
                + " and dropped {}; the reader on the second heard {} flood lines ({} during the flood); output-limit"
                + " closes {} / {}; echoes {} (worst {} ms) / {} (worst {} ms); the line after the flood crossed in"
                + " {} ms", floodLines, floodTook.toMillis(), firstRelay.published(), firstRelay.dropped(),
                reading.floodLines(), reading.duringFlood(), closesByLimit(this.first), closesByLimit(this.second),
                firstEchoes.count(), firstEchoes.worst().toMillis(), secondEchoes.count(),
                secondEchoes.worst().toMillis(), afterTook.toMillis());
    }

    /**
     * Writes flood lines as fast as the server takes them, at least {@link #MIN_FLOOD} and until {@code done}
     * says so, at most {@link #MAX_FLOOD}.
     * @return how many
     */
    private static long flood(LineClient flooder, long start, BooleanSupplier done) throws IOException {
        StringBuilder batch = new StringBuilder(FLOOD_BATCH * (FLOOD_TEXT.length() + 16));
        long count = 0;
        long minimum = start + MIN_FLOOD.toNanos();
        long deadline = start + MAX_FLOOD.toNanos();
        while (System.nanoTime() - deadline < 0) {
            batch.setLength(0);
            for (int i = 0; i < FLOOD_BATCH; i++) {
                batch.append("f ").append(count++).append(FLOOD_TEXT).append('\n');
            }
            flooder.sendRaw(batch.toString().getBytes(StandardCharsets.UTF_8));
            if (System.nanoTime() - minimum >= 0 && done.getAsBoolean()) {
                break;
            }
        }
        return count;
    }

    /**
     * The flooder says a line after the flood until the reader hears it: the relay's queue may still be full of
     * flood lines and drop the first tries. At most one try every 200 ms, for {@link #AFTER_WAIT}.
     */
    private static Heard afterTheFlood(LineClient flooder, Future<Heard> heard) throws Exception {
        long deadline = System.nanoTime() + AFTER_WAIT.toNanos();
        for (int i = 0; System.nanoTime() - deadline < 0; i++) {
            flooder.send("after " + i);
            try {
                return heard.get(200, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException ex) {
                // not yet through: say it again
            }
        }
        return heard.get(1, TimeUnit.SECONDS);
    }

    /** What the reader on the second instance heard. */
    private record Heard(long floodLines, long duringFlood) {
    }

    /**
     * Reads the room on the second instance until a line said after the flood arrives, checking that the flood
     * lines come in rising order, none twice (some may be missing: the relay drops what its queue cannot hold).
     */
    private static Heard hear(LineClient reader, AtomicLong floodEnd) throws IOException {
        long last = -1;
        long lines = 0;
        long during = 0;
        long deadline = System.nanoTime() + MAX_FLOOD.plus(AFTER_WAIT).plus(WAIT).toNanos();
        while (System.nanoTime() - deadline < 0) { // a silent room ends it sooner, with the reader's read timeout
            String line = reader.readLine();
            if (line == null) {
                throw new AssertionError("the reader's connection ended after " + lines + " flood lines");
            }
            Matcher flood = FLOOD_LINE.matcher(line);
            if (flood.find()) {
                long number = Long.parseLong(flood.group(1));
                if (number <= last) {
                    throw new AssertionError("flood line " + number + " heard after " + last);
                }
                last = number;
                lines++;
                if (floodEnd.get() == Long.MAX_VALUE) {
                    during++;
                }
            }
            else if (line.contains("] after ")) {
                return new Heard(lines, during);
            }
        }
        throw new AssertionError("no line after the flood reached the reader; " + lines + " flood lines did");
    }

    /** The flooder reads what the room says (little), so that it is no slow reader itself. */
    private static void discard(LineClient flooder) {
        try {
            while (flooder.readLine() != null) {
                // nothing to check
            }
        }
        catch (IOException ex) {
            // closed at the end of the test
        }
    }

    /** How long the echo took while the flood lasts, one ping at a time. */
    private record Echoes(long count, Duration worst) {
    }

    private Echoes echo(ConfigurableApplicationContext demo, BooleanSupplier flooding) throws IOException {
        Socket echo = connect(port(demo, "echoServer"));
        echo.setSoTimeout((int) ECHO_BOUND.toMillis()); // a stopped loop fails the read rather than hanging it
        byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
        long worst = 0;
        long count = 0;
        long deadline = System.nanoTime() + MAX_FLOOD.plus(WAIT).toNanos();
        while (flooding.getAsBoolean() && System.nanoTime() - deadline < 0) {
            long start = System.nanoTime();
            echo.getOutputStream().write(ping);
            assertThat(echo.getInputStream().readNBytes(ping.length)).isEqualTo(ping);
            worst = Math.max(worst, System.nanoTime() - start);
            count++;
        }
        return new Echoes(count, Duration.ofNanos(worst));
    }

    /** A chatter that reads the welcome, then nothing: its receive buffer is small so that the server's fills. */
    private Socket silentChatter(ConfigurableApplicationContext demo) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4 * 1024); // before the connect, so that the window is small from the start
        socket.connect(new InetSocketAddress("127.0.0.1", port(demo, "chatServer")), 5_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        this.sockets.add(socket);
        InputStream in = socket.getInputStream();
        for (int i = 0; i < 1024; i++) { // the welcome, a byte at a time, so that nothing more is read
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before its welcome");
            }
            if (b == '\n') {
                return socket;
            }
        }
        throw new IOException("no welcome line within 1024 bytes");
    }

    private LineClient join(ConfigurableApplicationContext demo) throws IOException {
        LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port(demo, "chatServer")));
        this.clients.add(client);
        assertThat(client.readLine()).startsWith("* welcome");
        return client;
    }

    private Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        this.sockets.add(socket);
        return socket;
    }

    /** @return the first line that the test accepts, at most 100 lines on */
    private static String readUntil(LineClient client, Predicate<String> wanted) throws IOException {
        for (int i = 0; i < 100; i++) {
            String line = client.readLine();
            if (line == null || wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no such line within 100 lines");
    }

    /**
     * @return the bytes read until end-of-stream or a reset; fails when the server keeps the connection open
     */
    private static long readToEnd(Socket socket) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        InputStream in = socket.getInputStream();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("still reading from a silent chatter after " + WAIT);
                }
            }
        }
        catch (SocketTimeoutException ex) {
            throw new AssertionError("the silent chatter's connection stayed open after " + total + " bytes", ex);
        }
        catch (IOException ex) {
            // a reset: the server closed with unread bytes, or dropped what it still owed
        }
        return total;
    }

    /** @return the chat connections the instance closed because their output went past a bound */
    private static long outputLimitCloses(ConfigurableApplicationContext demo) {
        return (long) demo.getBean(MeterRegistry.class)
            .find("asyncore.output.limit.closes")
            .tag("dispatcher", "chatServer")
            .functionCounters()
            .stream()
            .mapToDouble(FunctionCounter::count)
            .sum();
    }

    /** @return the output-limit closes by limit, for the log */
    private static String closesByLimit(ConfigurableApplicationContext demo) {
        StringBuilder closes = new StringBuilder();
        for (FunctionCounter counter : demo.getBean(MeterRegistry.class)
            .find("asyncore.output.limit.closes")
            .tag("dispatcher", "chatServer")
            .functionCounters()) {
            closes.append(counter.getId().getTag("limit")).append('=').append((long) counter.count()).append(' ');
        }
        return closes.toString().strip();
    }

    /** @return the chat connections the instance has open */
    private static long chatConnections(ConfigurableApplicationContext demo) {
        return (long) demo.getBean(MeterRegistry.class)
            .get("asyncore.channels")
            .tag("kind", "connection")
            .tag("dispatcher", "chatServer")
            .gauge()
            .value();
    }

    private static Status health(ConfigurableApplicationContext demo) {
        return demo.getBean(HealthEndpoint.class).health().getStatus();
    }

    private static long relayMeter(ConfigurableApplicationContext demo, String name) {
        return (long) demo.getBean(MeterRegistry.class).get(name).functionCounter().count();
    }

    private static int port(ConfigurableApplicationContext demo, String dispatcher) {
        return demo.getEnvironment()
            .getRequiredProperty("local.asyncore.dispatchers." + dispatcher + ".port", Integer.class);
    }

}
