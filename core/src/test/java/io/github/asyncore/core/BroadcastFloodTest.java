package io.github.asyncore.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.asyncore.core.internal.loop.LoopBuffers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out flood, driven from a thread of the application's own (a scheduled broadcaster, as a push
 * service or a message-broker listener would be): a {@link ChannelGroup} of two members whose peers never
 * read and ten whose peers read everything, on two loops, and an echo connection on the same loops. The
 * silent members must be closed by their output limits, every reader must get every line in order, the
 * echo must keep answering, the loops' output memory must stay bounded, and afterwards everything must be
 * as before.
 */
class BroadcastFloodTest {

    private static final Logger logger = LoggerFactory.getLogger(BroadcastFloodTest.class);

    private static final int LINE = 64;

    /** The sequence number of the line that ends the flood. */
    private static final long END = 9_999_999_999_999_999L;

    private static final int READERS = 10;

    private static final int SILENT = 2;

    private static final Duration FLOOD = Duration.ofSeconds(4);

    /** Broadcasts per 1 ms tick: 10,000 lines (640 KB) a second to every member. */
    private static final int LINES_PER_TICK = 10;

    private static final OutputLimit LIMIT = new OutputLimit(2 * 1024 * 1024, 512 * 1024, Duration.ofSeconds(2));

    /**
     * Output memory the loops may lend together at the worst moment: the two silent members at their hard
     * limit, the readers each up to their high water mark (64 KiB) plus a tick's lines, and one chunk of
     * rounding per member.
     */
    private static final long MEMORY_BOUND = SILENT * LIMIT.hard() + READERS * (64 * 1024 + LINES_PER_TICK * LINE)
            + (SILENT + READERS) * LoopBuffers.CHUNK_SIZE;

    private final EventLoopGroup loops = new EventLoopGroup("flood", 2);

    private final ScheduledExecutorService broadcaster = Executors.newSingleThreadScheduledExecutor();

    private final ExecutorService readers = Executors.newFixedThreadPool(READERS);

    private final List<Socket> peers = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        this.broadcaster.shutdownNow();
        this.readers.shutdownNow();
        for (Socket peer : this.peers) {
            peer.close();
        }
        this.loops.close();
        assertThat(this.readers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aScheduledBroadcasterIntoSlowMembersClosesThemAndServesEveryoneElse() throws Exception {
        Map<Long, CloseReason> closed = new ConcurrentHashMap<>();
        this.loops.addChannelListener(new ChannelListener() {
            @Override
            public void channelClosed(ChannelSnapshot channel, CloseReason reason) {
                closed.put(channel.id(), reason);
            }
        });
        this.loops.start();
        ChannelGroup<DiscardingConnection> room = new ChannelGroup<>("room");
        Dispatcher roomListener = listen((channel) -> {
            // a fixed socket buffer: the kernel would otherwise take megabytes a silent peer never reads
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            DiscardingConnection member = new DiscardingConnection(channel); // inherits the listener's settings
            room.add(member);
            return member;
        });
        Dispatcher echoListener = listen(AllocationTest.Echo::new);

        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < SILENT; i++) {
            silent.add(connect(roomListener, 8 * 1024));
        }
        List<Socket> reading = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            reading.add(connect(roomListener, 0));
        }
        await().atMost(LoopFixture.WAIT).until(() -> room.size() == SILENT + READERS);
        assertThat(room).extracting(Dispatcher::map).containsAll(this.loops.maps());
        List<DiscardingConnection> silentMembers = room.stream().filter((member) -> isPeerOf(member, silent)).toList();
        assertThat(silentMembers).hasSize(SILENT);

        // the flood: one array, reused for every line, from a thread that is no loop's
        AtomicLong sent = new AtomicLong();
        byte[] line = new byte[LINE];
        long floodEnd = System.nanoTime() + FLOOD.toNanos();
        Future<?> flood = this.broadcaster.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - floodEnd > 0) {
                throw new IllegalStateException("done"); // ends the schedule
            }
            for (int i = 0; i < LINES_PER_TICK; i++) {
                encode(sent.get(), line);
                room.broadcast(line);
                sent.incrementAndGet();
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        List<Future<Long>> received = new ArrayList<>();
        for (Socket reader : reading) {
            received.add(this.readers.submit(() -> readInOrder(reader.getInputStream())));
        }
        AtomicLong maxMemory = new AtomicLong();
        long worstEchoNanos = 0;
        int echoes = 0;
        try (Socket echo = connect(echoListener, 0)) {
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            while (!flood.isDone()) {
                long start = System.nanoTime();
                echo.getOutputStream().write(ping);
                assertThat(echo.getInputStream().readNBytes(ping.length)).isEqualTo(ping);
                worstEchoNanos = Math.max(worstEchoNanos, System.nanoTime() - start);
                echoes++;
                maxMemory.accumulateAndGet(outputMemoryUsed(), Math::max);
            }
        }
        long lines = sent.get();
        encode(END, line);
        assertThat(room.broadcast(line)).as("the end line, to the readers").isEqualTo(READERS);
        for (Future<Long> reader : received) {
            assertThat(reader.get(30, TimeUnit.SECONDS)).as("lines each reader got, in order").isEqualTo(lines);
        }

        for (DiscardingConnection member : silentMembers) {
            assertThat(member.isClosed()).isTrue();
            assertThat(closed.get(member.id())).as("%s", member).isEqualTo(CloseReason.OUTPUT_LIMIT);
        }
        assertThat(room).hasSize(READERS);
        assertThat(this.loops.loopSnapshots()).allSatisfy((loop) -> {
            assertThat(loop.running()).isTrue();
            assertThat(loop.failure()).isNull();
        });
        long limitCloses = this.loops.loopSnapshots().stream().mapToLong(LoopSnapshot::outputLimitCloses).sum();
        assertThat(limitCloses).isEqualTo(SILENT);
        assertThat(worstEchoNanos).as("worst echo round trip during the flood, ns").isLessThan(
                TimeUnit.SECONDS.toNanos(1));
        assertThat(maxMemory.get()).as("most output memory lent at once").isLessThanOrEqualTo(MEMORY_BOUND);

        for (Socket peer : this.peers) {
            peer.close();
        }
        await("only the listeners left, and no output memory lent").atMost(LoopFixture.WAIT)
            .until(() -> this.loops.count(ChannelKind.CONNECTION) == 0 && outputMemoryUsed() == 0);
        assertThat(this.loops.count(ChannelKind.LISTENER)).isEqualTo(2);
        assertThat(room).isEmpty();
        logger.info("broadcast flood: {} lines to {} members in {} ms; silent members closed by {}; {} echoes, worst"
                + " {} ms; most output memory lent {} KiB (bound {} KiB)", lines, SILENT + READERS, FLOOD.toMillis(),
                silentMembers.stream().map((member) -> member.getCloseReason().toString()).toList(), echoes,
                TimeUnit.NANOSECONDS.toMillis(worstEchoNanos), maxMemory.get() / 1024, MEMORY_BOUND / 1024);
    }

    private long outputMemoryUsed() {
        return this.loops.loopSnapshots().stream().mapToLong(LoopSnapshot::outputMemoryUsed).sum();
    }

    /** Reads lines up to the end line, checking each is the next in order; returns how many came before it. */
    private static long readInOrder(InputStream in) throws IOException {
        byte[] line = new byte[LINE];
        byte[] expected = new byte[LINE];
        byte[] end = new byte[LINE];
        encode(END, end);
        long count = 0;
        while (true) {
            if (in.readNBytes(line, 0, LINE) < LINE) {
                throw new IOException("end of stream after " + count + " lines");
            }
            if (java.util.Arrays.equals(line, end)) {
                return count;
            }
            encode(count, expected);
            if (!java.util.Arrays.equals(line, expected)) {
                throw new AssertionError("line " + count + " is " + new String(line, StandardCharsets.US_ASCII));
            }
            count++;
        }
    }

    private static void encode(long sequence, byte[] line) {
        byte[] text = String.format("%019d ", sequence).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, line, 0, text.length);
        for (int i = text.length; i < LINE - 1; i++) {
            line[i] = (byte) ('a' + (sequence + i) % 26);
        }
        line[LINE - 1] = '\n';
    }

    private Dispatcher listen(TestListener.Adopter adopter) {
        return LoopFixture.onLoop(this.loops.acceptor().eventLoop(), () -> {
            Dispatcher listener = new Dispatcher(this.loops.acceptor()) {
                @Override
                public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                    adopter.adopt(channel);
                }
            };
            listener.setSettings(ChannelSettings.DEFAULTS.withOutputLimit(LIMIT));
            listener.createSocket();
            listener.bind(LoopFixture.loopback());
            listener.listen(64);
            return listener;
        });
    }

    private Socket connect(Dispatcher listener, int receiveBuffer) throws IOException {
        Socket peer = new Socket();
        if (receiveBuffer > 0) {
            peer.setReceiveBufferSize(receiveBuffer);
        }
        peer.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort()),
                10_000);
        peer.setSoTimeout(30_000);
        peer.setTcpNoDelay(true);
        this.peers.add(peer);
        return peer;
    }

    private static boolean isPeerOf(Dispatcher member, List<Socket> peers) {
        int port = ((InetSocketAddress) member.getRemoteAddress()).getPort();
        return peers.stream().anyMatch((peer) -> peer.getLocalPort() == port);
    }

}
