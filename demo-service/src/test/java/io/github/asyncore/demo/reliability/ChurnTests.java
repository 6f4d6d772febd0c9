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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.github.asyncore.demo.echo.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;

import static io.github.asyncore.demo.reliability.ProcessProbe.MEBIBYTE;
import static io.github.asyncore.demo.reliability.ProcessProbe.mebibytes;
import static io.github.asyncore.demo.reliability.ProcessProbe.openFileDescriptors;
import static io.github.asyncore.demo.reliability.ProcessProbe.usedHeapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Churn: 20,000 connect/close cycles against the echo server, a third ending with a reset, a third with a
 * half-close, a third with a plain close, every seventh echoing a byte first. Afterwards the channel map
 * holds only the listeners, and neither descriptors nor live heap have grown.
 * <p>
 * Ports: a client that closes first keeps its port in TIME_WAIT for 60 s; the resets leave none, so about
 * 13,400 of the 28,232 ephemeral ports (32768-60999) are held at the end, and Linux reuses TIME_WAIT
 * ports for new loopback connections anyway ({@code tcp_tw_reuse=2}, the default).
 */
@ReliabilityTest
class ChurnTests {

    private static final Logger logger = LoggerFactory.getLogger(ChurnTests.class);

    private static final int CYCLES = 20_000;

    private static final int THREADS = 4;

    /** Cycles before the baseline, so that every class the cycles use is loaded and the JIT has warmed up. */
    private static final int WARM_UP_CYCLES = 600;

    private static final Duration TIME_BOUND = Duration.ofSeconds(60);

    /**
     * Descriptors the process may hold beyond its baseline. None is owed to the churn; the slack is for
     * the rest of the process, which may open a few while the test runs (a jar or class file read for a
     * class loaded for the first time, the web server's or an HTTP client's keep-alive connection of
     * another test). A leak of one descriptor in 2,000 cycles already exceeds it.
     */
    private static final long FD_SLACK = 10;

    /**
     * Live heap that may be added by the churn. A closed connection must leave nothing behind; a leaked
     * connection (its dispatcher, statistics, output queue and the JDK's socket channel) weighs well over
     * 400 bytes, and 20,000 x 400 bytes is 8 MiB. Smaller differences come from the rest of the JVM
     * (JIT, web server, logging) between two full collections.
     */
    private static final long HEAP_SLACK = 8 * MEBIBYTE;

    @Autowired
    private EchoServer echoServer;

    @Autowired
    private EventLoopGroup loops;

    private final ExecutorService clients = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopClients() throws InterruptedException {
        this.clients.shutdownNow();
        assertThat(this.clients.awaitTermination(10, TimeUnit.SECONDS)).as("client threads ended").isTrue();
    }

    @Test
    void twentyThousandConnectCloseCyclesLeaveOnlyTheListenersAndNoGrowth() throws Exception {
        int port = EchoClient.port(this.echoServer);
        awaitNoConnections();
        Set<Long> listeners = Connections.ids(this.loops);
        assertThat(this.loops.snapshot()).allSatisfy((channel) -> assertThat(channel.kind()).isIn(ChannelKind.LISTENER,
                ChannelKind.DATAGRAM));

        churn(port, WARM_UP_CYCLES, TIME_BOUND);
        awaitNoConnections();
        long fdBefore = stableOpenFileDescriptors();
        long heapBefore = usedHeapAfterGc();
        LoopSnapshot loopBefore = this.loops.loopSnapshots().get(0);

        long start = System.nanoTime();
        churn(port, CYCLES, TIME_BOUND);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        long closeStart = System.nanoTime();
        awaitNoConnections();
        long closeMillis = (System.nanoTime() - closeStart) / 1_000_000;
        assertThat(Connections.ids(this.loops)).as("channels after the churn: the listeners").isEqualTo(listeners);
        await("open descriptors back at the baseline").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> openFileDescriptors() <= fdBefore + FD_SLACK);
        long fdAfter = stableOpenFileDescriptors();
        long heapAfter = usedHeapAfterGc();
        LoopSnapshot loopAfter = this.loops.loopSnapshots().get(0);

        logger.info("churn: {} cycles on {} threads in {} ms ({} cycles/s); connections gone {} ms after the last",
                CYCLES, THREADS, took.toMillis(), CYCLES * 1000L / Math.max(1, took.toMillis()), closeMillis);
        logger.info("churn: open descriptors {} before, {} after (slack {}); live heap {} before, {} after, growth {} "
                + "(slack {})", fdBefore, fdAfter, FD_SLACK, mebibytes(heapBefore), mebibytes(heapAfter),
                mebibytes(heapAfter - heapBefore), mebibytes(HEAP_SLACK));
        logger.info("churn: loop accepted {} connections, timers scheduled {} before and {} after",
                loopAfter.connectionsAccepted() - loopBefore.connectionsAccepted(), loopBefore.scheduledTimers(),
                loopAfter.scheduledTimers());

        assertThat(took).as("time for %d cycles", CYCLES).isLessThan(TIME_BOUND);
        assertThat(fdAfter).as("open descriptors after the churn; baseline %d", fdBefore)
            .isLessThanOrEqualTo(fdBefore + FD_SLACK);
        assertThat(loopAfter.connectionsAccepted() - loopBefore.connectionsAccepted()).as("connections accepted")
            .isBetween((long) CYCLES * 2 / 3, (long) CYCLES);
        assertThat(heapAfter - heapBefore).as("live heap growth after %d cycles, bytes", CYCLES)
            .isLessThan(HEAP_SLACK);
    }

    private void churn(int port, int cycles, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            threads.add(this.clients.submit(() -> {
                for (int i = first; i < cycles && System.nanoTime() < deadline; i += THREADS) {
                    cycle(port, i);
                }
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        assertThat(System.nanoTime()).as("all %d cycles within %s", cycles, bound).isLessThan(deadline);
    }

    /** One connect/close cycle; the kind of close is {@code i % 3}, and every seventh echoes a byte first. */
    private static void cycle(int port, int i) throws IOException {
        boolean echo = i % 7 == 0;
        byte data = (byte) i;
        try (Socket socket = EchoClient.connect(port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            switch (i % 3) {
                case 0 -> { // reset: SO_LINGER 0 makes close() send RST instead of FIN
                    if (echo) {
                        echoOneByte(out, in, data, i);
                    }
                    socket.setSoLinger(true, 0);
                }
                case 1 -> { // half-close: FIN first, then read what the server owes us until it closes
                    if (echo) {
                        out.write(data);
                    }
                    socket.shutdownOutput();
                    if (echo) {
                        assertThat(in.read()).as("echo of cycle %d after the half-close", i).isEqualTo(data & 0xff);
                    }
                    assertThat(in.read()).as("end of stream in cycle %d", i).isEqualTo(-1);
                }
                default -> { // plain close
                    if (echo) {
                        echoOneByte(out, in, data, i);
                    }
                }
            }
        }
    }

    private static void echoOneByte(OutputStream out, InputStream in, byte data, int i) throws IOException {
        out.write(data);
        assertThat(in.read()).as("echo of cycle %d", i).isEqualTo(data & 0xff);
    }

    private void awaitNoConnections() {
        await("no connections left").atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> this.loops.count(ChannelKind.CONNECTION) == 0);
    }

    /** @return the open descriptors once their count has not changed for 300 ms (closes settle first) */
    private static long stableOpenFileDescriptors() {
        AtomicLong last = new AtomicLong(-1);
        await("a steady count of open descriptors").during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> openFileDescriptors() == last.getAndSet(openFileDescriptors()));
        return last.get();
    }

}
