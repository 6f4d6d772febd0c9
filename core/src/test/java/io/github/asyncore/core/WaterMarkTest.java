package io.github.asyncore.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Back-pressure through the write buffer water marks of a {@link BufferedDispatcher}: a peer that does
 * not read makes the server's pending output pass the high mark, the loop then stops reading from that
 * channel (its evaluated {@code readable} is false, and bytes the peer sends stay unread), and once the
 * peer has taken enough for the output to fall to the low mark, reading resumes. Every byte arrives
 * intact and in order.
 * <p>
 * The server sockets' send buffers are set to 64 KiB so that output backs up into the dispatcher after a
 * predictable amount rather than after whatever the kernel's auto-tuning allows.
 */
class WaterMarkTest {

    private static final int LOW = 64 * 1024;

    private static final int HIGH = 256 * 1024;

    private static final int TOTAL = 8 * 1024 * 1024;

    /** No output limit: the 8 MiB answer is queued in one send, past the default hard limit. */
    private static final ChannelSettings SETTINGS = ChannelSettings.DEFAULTS
        .withWriteBufferWaterMark(new WriteBufferWaterMark(LOW, HIGH))
        .withOutputLimit(OutputLimit.NONE);

    private final LoopFixture fixture = LoopFixture.started("water-mark");

    private final List<BlockingClient> clients = new ArrayList<>();

    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() throws Exception {
        this.writer.shutdownNow();
        for (BlockingClient client : this.clients) {
            client.close(); // also ends a writer blocked in write
        }
        this.fixture.close();
        assertThat(this.writer.awaitTermination(LoopFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void bulkResponseAboveTheHighMarkPausesReadingUntilTheClientHasReadItAll() throws Exception {
        byte[] bulk = pattern(TOTAL);
        TestListener listener = listen((channel) -> new BulkHandler(channel, bulk));
        BlockingClient client = connect(listener);
        BulkHandler handler = (BulkHandler) listener.awaitAccepted();

        client.write("G"); // the server answers with 8 MiB, which the client does not read yet
        await().atMost(LoopFixture.WAIT).until(() -> snapshot(handler),
                (s) -> !s.readable() && s.pendingOutputBytes() > HIGH);

        // While paused the server does not read: a second request stays in the socket.
        client.write("P");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(handler),
                (s) -> !s.readable() && s.pendingOutputBytes() > HIGH && s.bytesRead() == 1);

        byte[] received = client.readExactly(TOTAL);
        assertThat(received).hasSize(TOTAL);
        assertThat(Arrays.mismatch(received, bulk)).as("first byte that differs").isEqualTo(-1);
        assertThat(client.readExactly(1)).as("the answer to the request sent while paused").containsExactly('p');

        ChannelSnapshot drained = await().atMost(LoopFixture.WAIT).until(() -> snapshot(handler),
                (s) -> s.readable() && s.pendingOutputBytes() == 0);
        assertThat(drained.bytesRead()).isEqualTo(2);
        assertThat(drained.bytesWritten()).isEqualTo(TOTAL + 1L);
        assertThat(handler.pendingWhenPingRead).as("reading resumed only at or below the low mark")
            .isBetween(0L, (long) LOW);
    }

    @Test
    void echoToAPeerThatDoesNotReadStopsReadingAboveTheHighMarkAndResumesOnceDrained() throws Exception {
        byte[] data = pattern(TOTAL);
        TestListener listener = listen(EchoHandler::new);
        BlockingClient client = connect(listener);
        EchoHandler handler = (EchoHandler) listener.awaitAccepted();

        // The client writes 8 MiB on another thread and reads nothing until the server has paused.
        Future<?> writing = this.writer.submit(() -> {
            for (int offset = 0; offset < TOTAL; offset += 64 * 1024) {
                client.write(Arrays.copyOfRange(data, offset, Math.min(TOTAL, offset + 64 * 1024)));
            }
            return null;
        });
        ChannelSnapshot paused = await().atMost(LoopFixture.WAIT).until(() -> snapshot(handler),
                (s) -> !s.readable() && s.pendingOutputBytes() > HIGH);
        long readWhenPaused = paused.bytesRead();
        assertThat(readWhenPaused).as("the server stopped reading before it had everything").isLessThan(TOTAL);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> snapshot(handler),
                (s) -> !s.readable() && s.bytesRead() == readWhenPaused);
        assertThat(paused.pendingOutputBytes()).as("pending output is bounded by the high mark plus one read")
            .isLessThanOrEqualTo(HIGH + EchoHandler.READ_SIZE);

        byte[] received = client.readExactly(TOTAL);
        writing.get(LoopFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received).hasSize(TOTAL);
        assertThat(Arrays.mismatch(received, data)).as("first byte that differs").isEqualTo(-1);

        ChannelSnapshot drained = await().atMost(LoopFixture.WAIT).until(() -> snapshot(handler),
                (s) -> s.readable() && s.pendingOutputBytes() == 0);
        assertThat(drained.bytesRead()).isEqualTo(TOTAL);
        assertThat(drained.bytesWritten()).isEqualTo(TOTAL);
        assertThat(handler.maxPending).as("the most output ever pending")
            .isGreaterThan(HIGH).isLessThanOrEqualTo(HIGH + EchoHandler.READ_SIZE);
        assertThat(handler.pauses.get()).isPositive();
        assertThat(handler.pendingAtResume).as("pending output at each first read after a pause")
            .isNotEmpty().allSatisfy((pending) -> assertThat(pending).isBetween(0L, (long) LOW));
    }

    // ---------------------------------------------------------------- helpers

    /** A listener with the test's water marks whose connections have a 64 KiB send buffer. */
    private TestListener listen(TestListener.Adopter adopter) {
        return this.fixture.onLoop(() -> {
            TestListener listener = new TestListener(this.fixture.map, (channel) -> {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
                return adopter.adopt(channel);
            });
            listener.setSettings(SETTINGS); // inherited by the connections
            return listener;
        });
    }

    private BlockingClient connect(TestListener listener) throws IOException {
        BlockingClient client = BlockingClient.connect(listener.getLocalAddress());
        this.clients.add(client);
        return client;
    }


    private ChannelSnapshot snapshot(Dispatcher dispatcher) {
        return this.fixture.map.snapshot(dispatcher.id())
            .orElseThrow(() -> new AssertionError(dispatcher + " left the map"));
    }

    /** @return bytes that spell their own offsets, so that a lost, doubled or moved chunk shows */
    private static byte[] pattern(int size) {
        ByteBuffer bytes = ByteBuffer.allocate(size);
        for (int i = 0; bytes.remaining() >= 4; i++) {
            bytes.putInt(i);
        }
        return bytes.array();
    }

    /** Answers {@code G} with the bulk bytes and {@code P} with {@code p}. */
    static final class BulkHandler extends BufferedDispatcher {

        private final byte[] bulk;

        volatile long pendingWhenPingRead = -1;

        BulkHandler(SocketChannel channel, byte[] bulk) throws IOException {
            super(channel);
            this.bulk = bulk;
        }

        @Override
        public void handleRead() throws IOException {
            long pendingBefore = pendingOutputBytes();
            for (byte request : recv(16)) {
                if (request == 'G') {
                    send(this.bulk);
                }
                else if (request == 'P') {
                    this.pendingWhenPingRead = pendingBefore;
                    send(new byte[] { 'p' });
                }
            }
        }

    }

    /** Echoes what it reads, in reads of at most {@link #READ_SIZE}, and records its pending output. */
    static final class EchoHandler extends BufferedDispatcher {

        static final int READ_SIZE = 8192;

        final AtomicInteger pauses = new AtomicInteger();

        final List<Long> pendingAtResume = new CopyOnWriteArrayList<>();

        volatile long maxPending;

        private boolean paused;

        EchoHandler(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            if (this.paused) {
                this.pendingAtResume.add(pendingOutputBytes());
                this.paused = false;
            }
            byte[] data = recv(READ_SIZE);
            if (data.length > 0) {
                send(data);
                this.maxPending = Math.max(this.maxPending, pendingOutputBytes());
            }
        }

        @Override
        public void handleWritabilityChanged() {
            if (!isWritable()) { // above the high mark: reading stops, the next read comes after the drain
                this.paused = true;
                this.pauses.incrementAndGet();
            }
        }

    }

}
