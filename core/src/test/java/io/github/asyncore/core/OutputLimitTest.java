package io.github.asyncore.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.internal.loop.LoopBuffers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Output that others push at a channel is bounded: the hard output limit closes a channel at once, the soft
 * limit after its duration, sends from other threads count when they are made, a closing channel refuses
 * sends cheaply, and {@link Dispatcher#isWritable()} with {@link Dispatcher#handleWritabilityChanged()}
 * lets a producer see a slow peer. Peers here never read unless the test says so, and their sockets'
 * buffers are small, so that output backs up into the dispatcher after a few KiB.
 */
class OutputLimitTest {

    private static final int SMALL_BUFFER = 8 * 1024;

    private static final byte[] KIB = new byte[1024];

    private final LoopFixture fixture = LoopFixture.started("output-limit");

    private final List<Socket> peers = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (Socket peer : this.peers) {
            peer.close();
        }
        this.fixture.close();
    }

    @Test
    void sendsFromAnotherThreadCountAtOnceAndThoseOverTheHardLimitAreRefusedAndCloseTheChannel() throws Exception {
        Member member = accept(ChannelSettings.DEFAULTS.withOutputLimit(new OutputLimit(64 * 1024, 0, Duration.ZERO)));
        CountDownLatch release = new CountDownLatch(1);
        this.fixture.loop.execute(() -> awaitQuietly(release)); // the loop runs none of the hand-overs meanwhile
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            for (int i = 0; i < 64; i++) {
                assertThat(member.send(KIB)).as("send %d of 64 KiB", i + 1).isEqualTo(1024);
            }
            assertThat(member.pendingOutputBytes()).as("counted before the loop saw any of it").isEqualTo(64 * 1024);
            assertThat(member.send(KIB)).as("one KiB over the hard limit: refused").isZero();
            assertThat(member.pendingOutputBytes()).as("the refused KiB is not counted").isEqualTo(64 * 1024);
            assertThat(member.isClosing()).isTrue();
            assertThat(member.isWritable()).isFalse();
            assertThat(member.send(KIB)).as("a closing channel refuses at once").isZero();
            release.countDown();
            await().atMost(LoopFixture.WAIT).until(member::isClosed);
            assertThat(member.getCloseReason()).isEqualTo(CloseReason.OUTPUT_LIMIT);
            assertThat(member.handleCloseCalls).as("handleClose, once, for the clean-up").isOne();
            assertThat(member.send(KIB)).as("a closed channel refuses").isZero();
            assertThat(log.joined()).contains("<Member " + member.getName() + " ")
                .contains("over its output-hard-limit of 65536 bytes; closing it");
        }
        LoopSnapshot loop = this.fixture.loop.snapshot();
        assertThat(loop.outputHardLimitCloses()).isOne();
        assertThat(loop.outputLimitCloses()).isOne();
        assertThat(loop.outputMemoryUsed()).as("its queued output was given back").isZero();
    }

    @Test
    void aSendOnTheLoopPastTheHardLimitIsRefusedAndItsOutputDroppedAtOnce() throws Exception {
        Member member = accept(ChannelSettings.DEFAULTS.withOutputLimit(new OutputLimit(256 * 1024, 0, Duration.ZERO)));
        int accepted = this.fixture.onLoop(() -> {
            int sent = 0;
            while (sent < 64 * 1024 * 1024 && member.send(KIB) > 0) {
                sent += KIB.length;
            }
            assertThat(this.fixture.map.buffers().lentBytes()).as("its queued output, dropped at once").isZero();
            assertThat(member.getSettings().outputLimit().overHard(member.pendingOutputBytes() + KIB.length))
                .as("what it owed when refused, %d bytes", member.pendingOutputBytes())
                .isTrue();
            return sent;
        });
        assertThat(accepted).as("bytes accepted before the refusal").isLessThan(2 * 1024 * 1024);
        await().atMost(LoopFixture.WAIT).until(member::isClosed);
        assertThat(member.getCloseReason()).isEqualTo(CloseReason.OUTPUT_LIMIT);
    }

    @Test
    void aPeerThatStaysAboveTheSoftLimitForItsDurationIsClosed() throws Exception {
        Duration softDuration = Duration.ofMillis(300);
        Member member = accept(ChannelSettings.DEFAULTS.withOutputLimit(new OutputLimit(0, 32 * 1024, softDuration)));
        long start = System.nanoTime();
        this.fixture.runOnLoop(() -> {
            for (int i = 0; i < 256; i++) {
                member.send(KIB);
            }
        });
        await().atMost(LoopFixture.WAIT).until(member::isClosed);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).as("closed after the soft limit's duration").isGreaterThanOrEqualTo(softDuration.toMillis());
        assertThat(member.getCloseReason()).isEqualTo(CloseReason.OUTPUT_LIMIT);
        assertThat(this.fixture.loop.snapshot().outputSoftLimitCloses()).isOne();
    }

    @Test
    void aPeerThatCatchesUpWithinTheSoftLimitsDurationStaysOpen() throws Exception {
        Duration softDuration = Duration.ofMillis(500);
        Member member = accept(ChannelSettings.DEFAULTS.withOutputLimit(new OutputLimit(0, 32 * 1024, softDuration)));
        Socket peer = this.peers.get(0);
        this.fixture.runOnLoop(() -> {
            for (int i = 0; i < 256; i++) {
                member.send(KIB);
            }
        });
        assertThat(member.pendingOutputBytes()).isGreaterThan(32 * 1024);
        byte[] received = peer.getInputStream().readNBytes(256 * 1024);
        assertThat(received).hasSize(256 * 1024);
        await("the channel, open past the soft limit's duration").during(softDuration.multipliedBy(2))
            .atMost(LoopFixture.WAIT)
            .until(() -> !member.isClosed());
        assertThat(this.fixture.loop.snapshot().outputSoftLimitCloses()).isZero();
    }

    @Test
    void writabilityFollowsTheWaterMarksAndIsAnnouncedOnTheLoop() throws Exception {
        Member member = accept(ChannelSettings.DEFAULTS.withWriteBufferWaterMark(new WriteBufferWaterMark(16 * 1024,
                32 * 1024)));
        assertThat(member.isWritable()).isTrue();
        Thread sender = new Thread(() -> {
            for (int i = 0; i < 128; i++) {
                member.sendUnchecked(KIB);
            }
        });
        sender.start();
        sender.join(LoopFixture.WAIT.toMillis());
        assertThat(member.isWritable()).as("128 KiB pending, high mark 32 KiB").isFalse();
        await().atMost(LoopFixture.WAIT).until(() -> member.writability.size() == 1);
        assertThat(member.writability).containsExactly(false);
        assertThat(member.writabilityThreads).containsOnly(this.fixture.loop.name());

        assertThat(this.peers.get(0).getInputStream().readNBytes(128 * 1024)).hasSize(128 * 1024);
        await().atMost(LoopFixture.WAIT).until(() -> member.writability.size() == 2);
        assertThat(member.writability).containsExactly(false, true);
        assertThat(member.isWritable()).isTrue();
        assertThat(member.isClosed()).isFalse();
    }

    @Test
    void whenTheLoopsOutputMemoryIsUsedUpTheChannelHoldingTheMostIsClosedAndTheOthersAreServed() throws Exception {
        this.fixture.map.setMaxOutputMemory(8 * LoopBuffers.CHUNK_SIZE);
        ChannelSettings unlimited = ChannelSettings.DEFAULTS.withOutputLimit(OutputLimit.NONE);
        Member greedy = accept(unlimited);
        Member modest = accept(unlimited);
        LoopBuffers buffers = this.fixture.map.buffers();
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            this.fixture.runOnLoop(() -> {
                // the modest channel fills its socket and queues a little; the greedy one queues the rest
                assertThat(modest.send(new byte[48 * 1024])).isEqualTo(48 * 1024);
                for (int i = 0; i < 1024 && buffers.lentBytes() < 8 * LoopBuffers.CHUNK_SIZE; i++) {
                    assertThat(greedy.send(KIB)).isEqualTo(KIB.length);
                }
                assertThat(buffers.lentBytes()).isEqualTo(8 * LoopBuffers.CHUNK_SIZE);
                assertThat(greedy.core().bounds().queued()).isGreaterThan(modest.core().bounds().queued());
            });
            // the modest channel needs chunks the loop no longer has: the greedy one goes instead
            assertThat(this.fixture.onLoop(() -> modest.send(new byte[20 * 1024]))).isEqualTo(20 * 1024);
            await().atMost(LoopFixture.WAIT).until(greedy::isClosed);
            assertThat(greedy.getCloseReason()).isEqualTo(CloseReason.OUTPUT_LIMIT);
            assertThat(log.joined()).contains("ran out of output memory")
                .contains("the loop's output memory is used up");
        }
        assertThat(modest.isClosed()).isFalse();
        assertThat(this.peers.get(1).getInputStream().readNBytes(68 * 1024)).as("the modest channel's output, all of it")
            .hasSize(68 * 1024);
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().outputMemoryUsed() == 0);
        LoopSnapshot loop = this.fixture.loop.snapshot();
        assertThat(loop.outputMemoryCloses()).isOne();
        assertThat(loop.maxOutputMemory()).isEqualTo(8 * LoopBuffers.CHUNK_SIZE);
    }

    @Test
    void aChannelThatHoldsTheMostIsClosedWhenItsOwnSendFindsNoMemory() throws Exception {
        this.fixture.map.setMaxOutputMemory(4 * LoopBuffers.CHUNK_SIZE);
        Member member = accept(ChannelSettings.DEFAULTS.withOutputLimit(OutputLimit.NONE));
        int accepted = this.fixture.onLoop(() -> {
            int sent = 0;
            for (int i = 0; i < 1024 && member.send(KIB) > 0; i++) {
                sent += KIB.length;
            }
            return sent;
        });
        assertThat(accepted).as("the kernel's share plus four chunks").isLessThan(1024 * 1024);
        await().atMost(LoopFixture.WAIT).until(member::isClosed);
        assertThat(member.getCloseReason()).isEqualTo(CloseReason.OUTPUT_LIMIT);
        assertThat(this.fixture.loop.snapshot().outputMemoryCloses()).isOne();
        assertThat(this.fixture.loop.snapshot().outputMemoryUsed()).isZero();
    }

    private Member accept(ChannelSettings settings) throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
            Member member = new Member(channel);
            member.setSettings(settings);
            return member;
        }));
        Socket peer = new Socket();
        peer.setReceiveBufferSize(SMALL_BUFFER);
        peer.connect(new InetSocketAddress("127.0.0.1", listener.address().getPort()), 10_000);
        peer.setSoTimeout(10_000);
        this.peers.add(peer);
        Member member = listener.awaitAccepted();
        this.fixture.runOnLoop(listener::close);
        return member;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(LoopFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A connection whose peer's input it ignores; it records its writability changes. */
    static final class Member extends BufferedDispatcher {

        final List<Boolean> writability = new CopyOnWriteArrayList<>();

        final List<String> writabilityThreads = new CopyOnWriteArrayList<>();

        volatile int handleCloseCalls;

        Member(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            recv();
        }

        void sendUnchecked(byte[] data) {
            try {
                send(data);
            }
            catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        @Override
        public void handleWritabilityChanged() {
            this.writability.add(isWritable());
            this.writabilityThreads.add(Thread.currentThread().getName());
        }

        @Override
        public void handleClose() {
            this.handleCloseCalls++;
            close();
        }

    }

}
