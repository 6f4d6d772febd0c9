package io.github.asyncore.demo.reliability;

import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.demo.echo.EchoServer;
import io.github.asyncore.demo.reliability.EchoClient.Latencies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;

import static io.github.asyncore.demo.reliability.ProcessProbe.MEBIBYTE;
import static io.github.asyncore.demo.reliability.ProcessProbe.mebibytes;
import static io.github.asyncore.demo.reliability.ProcessProbe.usedHeapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow reader: a client sends 100 MiB to the echo server and reads nothing. The water marks must stop
 * the server reading, so that its memory stays bounded, other clients stay fast, and nothing is lost
 * when the client finally reads.
 */
@ReliabilityTest
class SlowReaderTests {

    private static final Logger logger = LoggerFactory.getLogger(SlowReaderTests.class);

    private static final long TOTAL = 100 * MEBIBYTE;

    private static final int CHUNK = 64 * 1024;

    /**
     * How much the live heap may grow while the 100 MiB are in flight. The paused connection holds at
     * most high mark + one read (128 KiB with the demo's settings); the test's own writer and reader
     * hold one 64 KiB chunk each; what the server has not read waits in the kernel's socket buffers,
     * which are not heap. A server that buffered its output without bound would hold everything it read
     * and not yet sent, 100 MiB less the few MiB the kernel buffers take, so 32 MiB separates the two by a
     * wide margin while leaving room for what the rest of the JVM (web server, JIT, class loading)
     * allocates meanwhile. Test and server share the process, so this is the server's heap plus the
     * test's.
     */
    private static final long HEAP_GROWTH_BOUND = 32 * MEBIBYTE;

    /** Floor of the p99 bound for the other client; see {@link Latencies#bound}. */
    private static final Duration LATENCY_FLOOR = Duration.ofMillis(50);

    private static final int ROUND_TRIPS = 200;

    @Autowired
    private EchoServer echoServer;

    @Autowired
    private EventLoopGroup loops;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopThreads() throws InterruptedException {
        this.sampler.shutdownNow();
        this.threads.shutdownNow();
        assertThat(this.threads.awaitTermination(10, TimeUnit.SECONDS)).as("test threads ended").isTrue();
    }

    @Test
    void aClientThatReadsNothingIsPausedAtTheHighMarkAndLaterReceivesEveryByteInOrder() throws Exception {
        int port = EchoClient.port(this.echoServer);
        ChannelSettings settings = this.echoServer.getSettings();
        long high = settings.writeBufferWaterMark().high();
        long pendingBound = high + settings.receiveBufferSize();
        PseudoRandomStream stream = new PseudoRandomStream(7007);
        try (EchoClient other = new EchoClient(port); Socket slow = EchoClient.connect(port)) {
            slow.setSoTimeout(10_000);
            other.roundTrips(50); // warm-up, not measured
            Latencies baseline = other.roundTrips(ROUND_TRIPS);
            long heapBefore = usedHeapAfterGc();

            // The client writes 100 MiB and reads nothing; its writes block once the server stops reading.
            AtomicLong written = new AtomicLong();
            long writeStart = System.nanoTime();
            Future<?> writer = this.threads.submit(() -> {
                OutputStream out = slow.getOutputStream();
                byte[] chunk = new byte[CHUNK];
                for (long offset = 0; offset < TOTAL; offset += CHUNK) {
                    int length = (int) Math.min(CHUNK, TOTAL - offset);
                    stream.fill(chunk, length, offset);
                    out.write(chunk, 0, length);
                    written.addAndGet(length);
                }
                out.flush();
                return null;
            });

            // The server stops reading once the pending output passes the high mark ...
            ChannelSnapshot paused = await("the slow client's connection paused above the high mark")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> Connections.of(this.loops, slow.getLocalPort()).orElse(null),
                        (channel) -> channel != null && !channel.readable() && channel.pendingOutputBytes() > high);
            assertThat(paused.pendingOutputBytes()).as("pending output of the paused connection")
                .isGreaterThan(high)
                .isLessThanOrEqualTo(pendingBound);
            long readWhenPaused = paused.bytesRead();
            // ... for good: for half a second it reads nothing more and is not waited on for reading,
            await("the paused connection reading nothing more").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> this.loops.snapshot(paused.id()).orElseThrow(),
                        (channel) -> channel.bytesRead() == readWhenPaused && !channel.readable()
                                && channel.pendingOutputBytes() == paused.pendingOutputBytes());
            // ... and the writer is stuck with most of the 100 MiB unsent.
            AtomicLong lastWritten = new AtomicLong(-1);
            await("the slow client's writes blocking").during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> written.get() == lastWritten.getAndSet(written.get()));
            long writtenWhenStuck = written.get();
            assertThat(writer).as("the writer, blocked").isNotDone();
            assertThat(writtenWhenStuck).as("bytes the client could write").isLessThan(TOTAL / 2);

            long heapWhilePaused = usedHeapAfterGc();
            assertThat(heapWhilePaused - heapBefore).as("live heap growth while 100 MiB are in flight, bytes")
                .isLessThan(HEAP_GROWTH_BOUND);

            // Another client is served at normal speed meanwhile.
            Latencies whilePaused = other.roundTrips(ROUND_TRIPS);
            Duration latencyBound = Latencies.bound(baseline, LATENCY_FLOOR);
            assertThat(whilePaused.p99()).as("p99 round trip while the slow reader is paused; baseline %s", baseline)
                .isLessThanOrEqualTo(latencyBound);
            assertThat(whilePaused.total()).as("%d round trips while paused", ROUND_TRIPS)
                .isLessThan(latencyBound.multipliedBy(ROUND_TRIPS));
            assertThat(this.loops.snapshot(paused.id())).as("the slow connection, still paused")
                .hasValueSatisfying((channel) -> assertThat(channel.bytesRead()).isEqualTo(readWhenPaused));

            // The slow client reads at last: every byte comes back, in order, while the pending output never
            // passes high mark + one read and the heap stays within its bound.
            AtomicLong maxPending = new AtomicLong();
            this.sampler.scheduleAtFixedRate(() -> this.loops.snapshot(paused.id())
                .ifPresent((channel) -> maxPending.accumulateAndGet(channel.pendingOutputBytes(), Math::max)), 0, 1,
                    TimeUnit.MILLISECONDS);
            AtomicLong heapWhileDraining = new AtomicLong(-1);
            long drainStart = System.nanoTime();
            Future<Long> reader = this.threads.submit(() -> {
                InputStream in = slow.getInputStream();
                byte[] buffer = new byte[CHUNK];
                long offset = 0;
                while (offset < TOTAL) {
                    int read = in.read(buffer, 0, (int) Math.min(CHUNK, TOTAL - offset));
                    if (read < 0) {
                        throw new EOFException("end of stream after " + offset + " of " + TOTAL + " bytes");
                    }
                    int mismatch = stream.firstMismatch(buffer, read, offset);
                    if (mismatch >= 0) {
                        throw new AssertionError("echoed byte " + (offset + mismatch) + " is "
                                + buffer[mismatch] + ", expected " + stream.at(offset + mismatch));
                    }
                    offset += read;
                    if (heapWhileDraining.get() < 0 && offset >= TOTAL / 2) {
                        heapWhileDraining.set(usedHeapAfterGc());
                    }
                }
                return offset;
            });
            Latencies whileDraining = other.roundTrips(ROUND_TRIPS);
            boolean overlapped = !reader.isDone();
            assertThat(reader.get(25, TimeUnit.SECONDS)).as("bytes echoed intact and in order").isEqualTo(TOTAL);
            writer.get(5, TimeUnit.SECONDS);
            long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
            this.sampler.shutdownNow();
            if (overlapped) { // the 100 MiB flowed through the loop during every one of these round trips
                assertThat(whileDraining.p99()).as("p99 round trip while draining; baseline %s", baseline)
                    .isLessThanOrEqualTo(latencyBound);
            }
            assertThat(maxPending.get()).as("largest pending output while draining").isLessThanOrEqualTo(pendingBound);
            assertThat(heapWhileDraining.get() - heapBefore).as("live heap growth half way through the drain, bytes")
                .isLessThan(HEAP_GROWTH_BOUND);

            // Nothing more comes: after the client's end-of-stream the server closes.
            slow.shutdownOutput();
            assertThat(slow.getInputStream().read()).as("after the 100 MiB: end of stream").isEqualTo(-1);
            await("the slow connection closed").atMost(Duration.ofSeconds(10))
                .until(() -> this.loops.snapshot(paused.id()).isEmpty());

            logger.info("slow reader: paused with {} bytes pending (high mark {}, bound {}), {} read by the server, "
                    + "{} written by the client when stuck, {} ms after the first write", paused.pendingOutputBytes(),
                    high, pendingBound, readWhenPaused, writtenWhenStuck, (System.nanoTime() - writeStart) / 1_000_000);
            logger.info("slow reader: live heap {} before, {} while paused (growth {}), {} half way through the drain "
                    + "(growth {}); bound {}", mebibytes(heapBefore), mebibytes(heapWhilePaused),
                    mebibytes(heapWhilePaused - heapBefore), mebibytes(heapWhileDraining.get()),
                    mebibytes(heapWhileDraining.get() - heapBefore), mebibytes(HEAP_GROWTH_BOUND));
            logger.info("slow reader: other client baseline {}; while paused {}; while draining {}; bound {} ms",
                    baseline, whilePaused, whileDraining, latencyBound.toMillis());
            logger.info("slow reader: drained 100 MiB in {} ms, largest pending output meanwhile {} bytes; round trips "
                    + "{}within the drain", drainMillis, maxPending.get(), overlapped ? "" : "not all ");
        }
    }

}
