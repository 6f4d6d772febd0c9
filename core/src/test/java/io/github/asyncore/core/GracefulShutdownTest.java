package io.github.asyncore.core;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Stop accepting, drain pending output for a bounded time, then close everything. */
class GracefulShutdownTest {

    private static final int RESPONSE_SIZE = 4 * 1024 * 1024;

    private final LoopFixture fixture = LoopFixture.started("shutdown");

    private final List<BufferedDispatcher> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void listenersCloseFirstThenPendingOutputDrainsThenChannelsClose() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, this::bulkSender));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            await().atMost(LoopFixture.WAIT)
                .until(() -> this.servers.size() == 1 && this.servers.get(0).pendingOutputBytes() > 0);
            CompletableFuture<DrainReport> shutdown = this.fixture.loop.shutdownGracefully(Duration.ofSeconds(20));
            await().atMost(LoopFixture.WAIT).until(listener::isClosed);
            assertThatExceptionOfType(ConnectException.class).as("new connections are refused")
                .isThrownBy(() -> new Socket(listener.address().getAddress(), listener.address().getPort()).close());
            assertThat(shutdown).isNotDone();
            byte[] received = client.readExactly(RESPONSE_SIZE);
            assertThat(received).isEqualTo(response());
            assertThat(client.read()).as("a clean end-of-stream after the drain").isEqualTo(-1);
            DrainReport report = shutdown.get(10, TimeUnit.SECONDS);
            assertThat(report.listenersClosed()).isEqualTo(1);
            assertThat(report.drained()).isEqualTo(1);
            assertThat(report.aborted()).isZero();
            assertThat(report.bytesUnsent()).isZero();
        }
        assertThat(this.fixture.map.isEmpty()).isTrue();
        await().atMost(LoopFixture.WAIT).until(() -> !this.fixture.loop.isRunning());
    }

    @Test
    void channelsStillOwingOutputAtTheDeadlineAreAbortedAndReported() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, this::bulkSender));
        try (LogCapture log = LogCapture.of(EventLoop.class); BlockingClient client = BlockingClient.connect(listener.address())) {
            await().atMost(LoopFixture.WAIT)
                .until(() -> this.servers.size() == 1 && this.servers.get(0).pendingOutputBytes() > 0);
            long start = System.nanoTime();
            DrainReport report = this.fixture.loop.shutdownGracefully(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290L);
            assertThat(report.aborted()).isEqualTo(1);
            assertThat(report.drained()).isZero();
            assertThat(report.bytesUnsent()).isPositive().isLessThan(RESPONSE_SIZE);
            assertThat(this.servers.get(0).isClosed()).isTrue();
            assertThat(log.joined()).contains("1 aborted at the deadline with " + report.bytesUnsent() + " bytes unsent");
        }
    }

    @Test
    void aClientStreamingThroughEchoGetsEveryByteTheServerReadAndACleanClose() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                (channel) -> new SocketVariantsTest.Echo(channel, this.fixture.map)));
        try (java.net.Socket client = new java.net.Socket()) {
            client.connect(listener.address(), 5_000);
            client.setSoTimeout(10_000);
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[4096];
                try {
                    while (!stop.get() && sent.get() < 256L * 1024 * 1024) {
                        for (int i = 0; i < chunk.length; i++) {
                            chunk[i] = (byte) ((sent.get() + i) % 251);
                        }
                        client.getOutputStream().write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                    client.shutdownOutput();
                }
                catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            java.io.InputStream in = client.getInputStream();
            byte[] buffer = new byte[8192];
            long received = 0;
            while (received < 1024 * 1024) { // streaming for real before the shutdown starts
                int read = in.read(buffer);
                assertThat(read).isPositive();
                assertPattern(buffer, read, received);
                received += read;
            }
            CompletableFuture<DrainReport> shutdown = this.fixture.loop.shutdownGracefully(Duration.ofSeconds(20));
            int read;
            while ((read = in.read(buffer)) != -1) { // no reset: the stream ends cleanly
                assertPattern(buffer, read, received);
                received += read;
            }
            stop.set(true);
            writer.get(10, TimeUnit.SECONDS);
            DrainReport report = shutdown.get(10, TimeUnit.SECONDS);
            assertThat(received).as("every byte the server read came back").isEqualTo(this.fixture.loop.snapshot().bytesRead());
            assertThat(received).isEqualTo(this.fixture.loop.snapshot().bytesWritten());
            assertThat(report.drained()).isEqualTo(1);
            assertThat(report.aborted()).isZero();
        }
    }

    private static void assertPattern(byte[] buffer, int length, long offset) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] != (byte) ((offset + i) % 251)) {
                throw new AssertionError("byte " + (offset + i) + " is corrupt");
            }
        }
    }

    @Test
    void withoutALoopThreadTheCallerDrainsAndClosesEverything() throws Exception {
        ChannelMap map = new ChannelMap("no-thread");
        TestListener listener = new TestListener(map, (channel) -> null);
        DrainReport report = map.eventLoop().shutdownGracefully(Duration.ofSeconds(1)).get(0, TimeUnit.SECONDS);
        assertThat(report.listenersClosed()).isEqualTo(1);
        assertThat(listener.isClosed()).isTrue();
        assertThat(map.isEmpty()).isTrue();
        map.close();
    }

    private Dispatcher bulkSender(SocketChannel channel) throws IOException {
        BufferedDispatcher server = new BufferedDispatcher(channel, this.fixture.map) {
            @Override
            public void handleRead() throws IOException {
                recv(1024);
            }
        };
        server.setSettings(ChannelSettings.DEFAULTS
            .withWriteBufferWaterMark(new WriteBufferWaterMark(RESPONSE_SIZE, 2 * RESPONSE_SIZE)));
        server.send(response());
        this.servers.add(server);
        return server;
    }

    private static byte[] response() {
        byte[] data = new byte[RESPONSE_SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >>> 12));
        }
        return data;
    }

}
