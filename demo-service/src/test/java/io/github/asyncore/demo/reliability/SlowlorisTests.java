package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.github.asyncore.demo.echo.EchoServer;
import io.github.asyncore.demo.reliability.EchoClient.Latencies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slowloris against the echo server with {@code read-idle-timeout: 3s}: a thousand connections that send
 * nothing, and twenty that send a byte every 300 ms.
 * <p>
 * The documented outcome: the read-idle timeout closes a connection from which nothing was read for that
 * long ({@link io.github.asyncore.core.Dispatcher#handleIdle}), with a clean close (FIN). The silent ones
 * are closed about 3 s after they opened. A trickler that sends more often than the timeout is not idle:
 * every byte restarts the clock, so it stays open (and is echoed) for as long as it keeps sending, and is
 * closed 3 s after its last byte. What bounds a trickler is its cost, one channel and a few bytes, not a
 * deadline; a protocol that needs a deadline per request sets one itself, as {@code /fetch} does with its
 * total timeout. A thousand open connections do not slow another client's round trips.
 * <p>
 * The listen backlog is raised to 1024 for the burst of connects: with the default 128, a loaded machine
 * can overflow the accept queue, and the kernel then drops SYNs that the client resends only after a
 * second, which stretches the opening past the timeout. 3 s leaves room for that too.
 */
@ReliabilityTest
@TestPropertySource(properties = { "asyncore.dispatchers.echoServer.read-idle-timeout=3s",
        "asyncore.dispatchers.echoServer.backlog=1024" })
class SlowlorisTests {

    private static final Logger logger = LoggerFactory.getLogger(SlowlorisTests.class);

    private static final Duration READ_IDLE = Duration.ofSeconds(3);

    private static final int SILENT = 1000;

    private static final int TRICKLERS = 20;

    private static final int OPENERS = 4;

    private static final Duration TRICKLE_PERIOD = Duration.ofMillis(300);

    /** At most this many bytes per trickler (12 s at the pace): the pacing is bounded even if never stopped. */
    private static final int MAX_TRICKLE_BYTES = 40;

    /** How late after its deadline a timeout may close a connection on a loaded machine. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(3);

    /** Floor of the p99 bound for the other client; see {@link Latencies#bound}. */
    private static final Duration LATENCY_FLOOR = Duration.ofMillis(20);

    private static final int ROUND_TRIPS = 500;

    @Autowired
    private EchoServer echoServer;

    @Autowired
    private EventLoopGroup loops;

    private final List<Socket> sockets = new ArrayList<>();

    private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);

    private final ExecutorService opener = Executors.newFixedThreadPool(OPENERS);

    @AfterEach
    void closeClients() throws Exception {
        this.pacer.shutdownNow();
        this.opener.shutdownNow();
        for (Socket socket : this.sockets) {
            socket.close();
        }
        assertThat(this.pacer.awaitTermination(5, TimeUnit.SECONDS)).as("pacer ended").isTrue();
        assertThat(this.opener.awaitTermination(5, TimeUnit.SECONDS)).as("openers ended").isTrue();
    }

    @Test
    void silentAndTricklingConnectionsAreClosedByTheReadIdleTimeoutWithoutSlowingOthers() throws Exception {
        assertThat(this.echoServer.getSettings().readIdleTimeout()).isEqualTo(READ_IDLE);
        int port = EchoClient.port(this.echoServer);
        awaitNoConnections();
        Set<Long> listeners = Connections.ids(this.loops);
        long idleTimeoutsBefore = idleTimeouts();
        Latencies baseline;
        try (EchoClient probe = new EchoClient(port)) {
            probe.roundTrips(50); // warm-up, not measured
            baseline = probe.roundTrips(ROUND_TRIPS);
        }

        // Twenty tricklers: a byte every 300 ms each, paced by a scheduler.
        List<Integer> tricklerPorts = new ArrayList<>();
        AtomicIntegerArray sent = new AtomicIntegerArray(TRICKLERS);
        AtomicLongArray lastSent = new AtomicLongArray(TRICKLERS);
        List<ScheduledFuture<?>> pacing = new ArrayList<>();
        long tricklersOpened = System.nanoTime();
        for (int t = 0; t < TRICKLERS; t++) {
            Socket trickler = open(port);
            tricklerPorts.add(trickler.getLocalPort());
            OutputStream out = trickler.getOutputStream();
            int index = t;
            pacing.add(this.pacer.scheduleAtFixedRate(() -> {
                int next = sent.get(index);
                if (next < MAX_TRICKLE_BYTES) {
                    try {
                        out.write(next);
                    }
                    catch (IOException ex) {
                        throw new IllegalStateException("trickler " + index + " could not send byte " + next, ex);
                    }
                    lastSent.set(index, System.nanoTime());
                    sent.set(index, next + 1);
                }
            }, 0, TRICKLE_PERIOD.toMillis(), TimeUnit.MILLISECONDS));
        }

        // A thousand silent connections, opened by four threads.
        List<Socket> silent = new ArrayList<>();
        long silentStart = System.nanoTime();
        List<Future<List<Socket>>> openers = new ArrayList<>();
        for (int t = 0; t < OPENERS; t++) {
            openers.add(this.opener.submit(() -> {
                List<Socket> opened = new ArrayList<>();
                for (int i = 0; i < SILENT / OPENERS; i++) {
                    opened.add(connect(port));
                }
                return opened;
            }));
        }
        for (Future<List<Socket>> opened : openers) {
            silent.addAll(opened.get(20, TimeUnit.SECONDS));
        }
        long silentOpened = System.nanoTime();
        this.sockets.addAll(silent);
        List<Integer> silentPorts = silent.stream().map(Socket::getLocalPort).toList();
        assertThat(silentPorts).doesNotHaveDuplicates().hasSize(SILENT);
        await("every slowloris connection accepted").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .untilAsserted(() -> {
                assertThat(Connections.of(this.loops, silentPorts)).as("silent connections accepted").hasSize(SILENT);
                assertThat(Connections.of(this.loops, tricklerPorts)).as("tricklers accepted").hasSize(TRICKLERS);
            });
        long allAccepted = System.nanoTime();

        // While they are all open, another client's round trips stay fast.
        Latencies underLoad;
        try (EchoClient probe = new EchoClient(port)) {
            probe.roundTrips(20); // a new connection's first round trips, not measured
            underLoad = probe.roundTrips(ROUND_TRIPS);
        }
        assertThat(Connections.of(this.loops, silentPorts)).as("silent connections open after the round trips")
            .hasSize(SILENT);
        assertThat(Connections.of(this.loops, tricklerPorts)).as("tricklers open after the round trips")
            .hasSize(TRICKLERS);
        Duration latencyBound = Latencies.bound(baseline, LATENCY_FLOOR);
        logger.info("slowloris: {} silent connections opened in {} ms, all accepted after {} ms; baseline {}; "
                + "with {} slowloris connections open {}; bound {} ms", SILENT, millis(silentOpened - silentStart),
                millis(allAccepted - silentStart), baseline, SILENT + TRICKLERS, underLoad, latencyBound.toMillis());
        assertThat(underLoad.p99()).as("p99 round trip with %d slowloris connections open; baseline %s",
                SILENT + TRICKLERS, baseline)
            .isLessThanOrEqualTo(latencyBound);

        // The read-idle timeout closes the silent ones ...
        await("silent connections closed by the read-idle timeout")
            .atMost(Duration.ofNanos(silentOpened + READ_IDLE.plus(CLOSE_SLACK).toNanos() - System.nanoTime()))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> Connections.of(this.loops, silentPorts).isEmpty());
        long silentClosed = System.nanoTime();
        // ... but not the tricklers, which are older than the timeout and still sending.
        assertThat(Connections.of(this.loops, tricklerPorts)).as("tricklers open when the silent ones are closed")
            .hasSize(TRICKLERS);
        assertThat(Duration.ofNanos(silentClosed - tricklersOpened)).as("age of the tricklers").isGreaterThan(READ_IDLE);

        // The tricklers stop; each stays open until the timeout has passed since its last byte, then closes.
        pacing.forEach((pace) -> pace.cancel(false));
        this.pacer.shutdown();
        assertThat(this.pacer.awaitTermination(5, TimeUnit.SECONDS)).as("pacer stopped").isTrue();
        long firstLastByte = Long.MAX_VALUE;
        long lastLastByte = Long.MIN_VALUE;
        for (int t = 0; t < TRICKLERS; t++) {
            firstLastByte = Math.min(firstLastByte, lastSent.get(t));
            lastLastByte = Math.max(lastLastByte, lastSent.get(t));
        }
        Duration hold = Duration.ofNanos(firstLastByte + READ_IDLE.minusMillis(250).toNanos() - System.nanoTime());
        if (!hold.isNegative() && !hold.isZero()) {
            await("tricklers open until 250 ms before the timeout after their last byte").during(hold)
                .atMost(hold.plusSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Connections.of(this.loops, tricklerPorts).size() == TRICKLERS);
        }
        await("tricklers closed by the read-idle timeout after their last byte")
            .atMost(Duration.ofNanos(lastLastByte + READ_IDLE.plus(CLOSE_SLACK).toNanos() - System.nanoTime()))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> Connections.of(this.loops, tricklerPorts).isEmpty());
        long tricklersClosed = System.nanoTime();

        // Each client sees a clean end: the tricklers their echoes in order, then end-of-stream.
        int minSent = Integer.MAX_VALUE;
        int maxSent = 0;
        for (int t = 0; t < TRICKLERS; t++) {
            InputStream in = this.sockets.get(t).getInputStream();
            byte[] echoed = in.readAllBytes();
            assertThat(echoed).as("echo of trickler %d", t).hasSize(sent.get(t));
            for (int i = 0; i < echoed.length; i++) {
                assertThat(echoed[i]).as("byte %d of trickler %d", i, t).isEqualTo((byte) i);
            }
            minSent = Math.min(minSent, sent.get(t));
            maxSent = Math.max(maxSent, sent.get(t));
        }
        for (Socket socket : silent) {
            assertThat(socket.getInputStream().read()).as("a silent connection's end of stream").isEqualTo(-1);
        }
        assertThat(minSent).as("bytes each trickler sent before it stopped")
            .isGreaterThan((int) (READ_IDLE.toMillis() / TRICKLE_PERIOD.toMillis()));
        assertThat(idleTimeouts() - idleTimeoutsBefore).as("idle timeouts fired").isGreaterThanOrEqualTo(SILENT + TRICKLERS);
        awaitNoConnections();
        assertThat(Connections.ids(this.loops)).as("channels afterwards: the listeners").isEqualTo(listeners);

        logger.info("slowloris: silent connections all closed {} ms after the first opened ({} ms after the last); "
                + "tricklers sent {}-{} bytes each, lived {} ms, closed {} ms after the last byte",
                millis(silentClosed - silentStart), millis(silentClosed - silentOpened), minSent, maxSent,
                millis(tricklersClosed - tricklersOpened), millis(tricklersClosed - lastLastByte));
    }

    private Socket open(int port) throws IOException {
        Socket socket = connect(port);
        this.sockets.add(socket);
        return socket;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = EchoClient.connect(port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private long idleTimeouts() {
        return this.loops.loopSnapshots().stream().mapToLong(LoopSnapshot::idleTimeouts).sum();
    }

    private void awaitNoConnections() {
        await("no connections left").atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> this.loops.count(ChannelKind.CONNECTION) == 0);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

}
