package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Idle timeouts on real loopback connections: each kind fires after its timeout (never before, measured
 * from when the connection became active or last saw activity) with the right {@link IdleState}, the
 * default {@link Dispatcher#handleIdle(IdleState)} closes the channel, activity postpones the timeout,
 * accepted connections inherit their listener's timeouts, and a channel without one stays open.
 * <p>
 * Lower bounds are exact (the loop never runs a timer before its deadline, on the monotonic clock); upper
 * bounds allow {@link #SLACK} for a loaded machine.
 */
class IdleTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private static final Duration SLACK = Duration.ofSeconds(2);

    private final LoopFixture fixture = LoopFixture.started("idle");

    private final List<BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (BlockingClient client : this.clients) {
            client.close();
        }
        this.fixture.close();
    }

    @Test
    void readIdleTimeoutFiresReaderIdleAfterTheTimeoutAndTheDefaultHandlerClosesTheChannel() throws Exception {
        TestListener listener = listen(ChannelSettings.DEFAULTS.withReadIdleTimeout(TIMEOUT));
        BlockingClient client = connect(listener);
        Connection connection = listener.awaitAccepted();

        assertThat(client.read()).as("the client sees end-of-stream once the idle channel is closed").isEqualTo(-1);

        IdleEvent idle = onlyIdleEvent(connection);
        assertThat(idle.state()).isEqualTo(IdleState.READER_IDLE);
        assertFiredWithinTolerance(idle, connection.activeSince, TIMEOUT);
        assertThat(idle.thread()).as("handleIdle runs on the loop thread").isEqualTo(this.fixture.loop.name());
        assertClosedAndGone(connection);
        assertThat(this.fixture.loop.snapshot().idleTimeouts()).isEqualTo(1);
    }

    @Test
    void writeIdleTimeoutFiresWriterIdleWhileThePeerKeepsWritingBecauseReadsDoNotCount() throws Exception {
        TestListener listener = listen(ChannelSettings.DEFAULTS.withWriteIdleTimeout(TIMEOUT));
        BlockingClient client = connect(listener);
        Connection connection = listener.awaitAccepted();

        // The client writes a byte about every 50 ms, so the channel is never read-idle, until the
        // write-idle timeout closes it (bounded: 2.3 s of writes at most).
        long deadline = connection.activeSince + TIMEOUT.plus(SLACK).toNanos();
        for (int i = 0; i < 100 && !connection.isClosed() && System.nanoTime() - deadline < 0; i++) {
            if (!writeUnlessClosed(client, connection)) {
                break;
            }
            int expected = i + 1;
            await().pollDelay(Duration.ofMillis(50)).atMost(LoopFixture.WAIT)
                .until(() -> connection.bytesRead.get() >= expected || connection.isClosed());
        }
        await().atMost(LoopFixture.WAIT).until(connection::isClosed);

        IdleEvent idle = onlyIdleEvent(connection);
        assertThat(idle.state()).isEqualTo(IdleState.WRITER_IDLE);
        assertFiredWithinTolerance(idle, connection.activeSince, TIMEOUT);
        assertThat(connection.reads).as("the peer's bytes were read while the write-idle clock ran").isNotEmpty();
        assertPeerClosed(client);
        assertClosedAndGone(connection);
        assertThat(this.fixture.loop.snapshot().idleTimeouts()).isEqualTo(1);
    }

    @Test
    void allIdleTimeoutFiresAllIdleWhenNothingIsReadOrWritten() throws Exception {
        TestListener listener = listen(ChannelSettings.DEFAULTS.withIdleTimeout(TIMEOUT));
        BlockingClient client = connect(listener);
        Connection connection = listener.awaitAccepted();

        assertThat(client.read()).isEqualTo(-1);

        IdleEvent idle = onlyIdleEvent(connection);
        assertThat(idle.state()).isEqualTo(IdleState.ALL_IDLE);
        assertFiredWithinTolerance(idle, connection.activeSince, TIMEOUT);
        assertClosedAndGone(connection);
        assertThat(this.fixture.loop.snapshot().idleTimeouts()).isEqualTo(1);
    }

    @Test
    void readActivityPostponesTheReadIdleTimeoutUntilThePeerStopsWriting() throws Exception {
        Duration timeout = Duration.ofMillis(400);
        TestListener listener = listen(ChannelSettings.DEFAULTS.withReadIdleTimeout(timeout));
        BlockingClient client = connect(listener);
        Connection connection = listener.awaitAccepted();

        // One byte about every 100 ms for about 1 s: each round waits (polling, no sleep) at least 100 ms
        // and until the server has read the byte.
        for (int i = 0; i < 10 && !connection.isClosed(); i++) {
            if (!writeUnlessClosed(client, connection)) {
                break;
            }
            int expected = i + 1;
            await().pollDelay(Duration.ofMillis(100)).atMost(LoopFixture.WAIT)
                .until(() -> connection.bytesRead.get() >= expected || connection.isClosed());
        }

        // Whatever the machine's load, a read-idle event must never come sooner than the timeout after
        // the last read before it.
        for (IdleEvent idle : connection.idles) {
            assertThat(nanosBetween(connection.lastReadBefore(idle.atNanos()), idle.atNanos()))
                .as("read-idle fired only %s ms after the last read", millis(connection, idle))
                .isGreaterThanOrEqualTo(timeout.toNanos());
        }
        if (!connection.idles.isEmpty()) {
            // Legitimate only because the client could not keep its pace: the check above proved a gap.
            abort("the machine is too loaded: the client paused longer than " + timeout.toMillis()
                    + " ms between writes, so read-idle fired legitimately; postponement not shown");
        }
        long activeFor = System.nanoTime() - connection.activeSince;
        assertThat(activeFor).as("the channel stayed open for well over two timeouts")
            .isGreaterThanOrEqualTo(timeout.multipliedBy(2).toNanos());
        assertThat(connection.isClosed()).isFalse();
        assertThat(connection.bytesRead.get()).isEqualTo(10);

        // The client stops: the timeout fires, measured from the last read.
        assertThat(client.read()).isEqualTo(-1);
        IdleEvent idle = onlyIdleEvent(connection);
        assertThat(idle.state()).isEqualTo(IdleState.READER_IDLE);
        assertFiredWithinTolerance(idle, connection.lastReadBefore(idle.atNanos()), timeout);
        assertClosedAndGone(connection);
        assertThat(this.fixture.loop.snapshot().idleTimeouts()).isEqualTo(1);
    }

    @Test
    void idleTimeoutFiresAgainEveryPeriodWhileTheHandlerKeepsTheChannelOpen() throws Exception {
        TestListener listener = listen(ChannelSettings.DEFAULTS.withReadIdleTimeout(TIMEOUT), 2);
        BlockingClient client = connect(listener);
        Connection connection = listener.awaitAccepted();

        assertThat(client.read()).isEqualTo(-1);

        assertThat(connection.idles).extracting(IdleEvent::state)
            .containsExactly(IdleState.READER_IDLE, IdleState.READER_IDLE, IdleState.READER_IDLE);
        // The k-th event comes no sooner than k timeouts after activation (each period restarts when the
        // previous event fires), and each within the slack of the one before.
        long previous = connection.activeSince;
        for (int k = 1; k <= connection.idles.size(); k++) {
            IdleEvent idle = connection.idles.get(k - 1);
            assertThat(nanosBetween(connection.activeSince, idle.atNanos())).as("idle event %d", k)
                .isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(k).toNanos());
            assertThat(nanosBetween(previous, idle.atNanos())).as("idle event %d after the one before", k)
                .isLessThanOrEqualTo(TIMEOUT.plus(SLACK).toNanos());
            previous = idle.atNanos();
        }
        assertClosedAndGone(connection);
        assertThat(this.fixture.loop.snapshot().idleTimeouts()).isEqualTo(3);
    }

    @Test
    void acceptedConnectionInheritsTheIdleTimeoutSetOnItsListenerWhileTheListenerNeverIdlesOut() throws Exception {
        ChannelSettings settings = ChannelSettings.DEFAULTS.withReadIdleTimeout(TIMEOUT);
        TestListener listener = listen(ChannelSettings.DEFAULTS);
        this.fixture.runOnLoop(() -> {
            listener.setName("idle-listener");
            listener.setSettings(settings);
        });
        BlockingClient client = connect(listener);
        Connection connection = listener.awaitAccepted();

        assertThat(connection.getSettings()).isEqualTo(settings);
        assertThat(connection.getName()).isEqualTo("idle-listener#" + connection.id());
        assertThat(client.read()).isEqualTo(-1);
        IdleEvent idle = onlyIdleEvent(connection);
        assertThat(idle.state()).isEqualTo(IdleState.READER_IDLE);
        assertFiredWithinTolerance(idle, connection.activeSince, TIMEOUT);
        assertClosedAndGone(connection);

        // The listener has the same settings but is not connected: no idle timer, still listening (and the
        // loop counted one idle timeout only, the connection's).
        assertThat(listener.state()).isEqualTo(ChannelState.LISTENING);
        assertThat(this.fixture.map.find(listener.id())).containsSame(listener);
        assertThat(this.fixture.loop.snapshot().idleTimeouts()).isEqualTo(1);
    }

    @Test
    void channelWithoutIdleTimeoutStaysOpenAndArmsNoTimer() throws Exception {
        TestListener listener = listen(ChannelSettings.DEFAULTS);
        BlockingClient client = connect(listener);
        Connection connection = listener.awaitAccepted();

        assertThat(connection.getSettings().hasIdleTimeout()).isFalse();
        assertThat(this.fixture.loop.snapshot().scheduledTimers()).as("no idle timer is armed").isZero();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
            .until(() -> !connection.isClosed() && connection.idles.isEmpty());

        client.write("still here");
        await().atMost(LoopFixture.WAIT).until(() -> connection.bytesRead.get() == "still here".length());
        assertThat(connection.state()).isEqualTo(ChannelState.CONNECTED);
        assertThat(this.fixture.loop.snapshot().idleTimeouts()).isZero();
    }

    // ---------------------------------------------------------------- helpers

    private TestListener listen(ChannelSettings settings) {
        return listen(settings, 0);
    }

    /** A listener whose connections record when they became active and keep open for that many idles. */
    private TestListener listen(ChannelSettings settings, int keepOpenForIdles) {
        return this.fixture.onLoop(() -> {
            // System.nanoTime() is taken before the connection exists, so it is never later than its start.
            TestListener listener = new TestListener(this.fixture.map,
                    (channel) -> new Connection(channel, System.nanoTime(), keepOpenForIdles));
            listener.setSettings(settings);
            return listener;
        });
    }

    private BlockingClient connect(TestListener listener) throws IOException {
        BlockingClient client = BlockingClient.connect(listener.getLocalAddress());
        this.clients.add(client);
        return client;
    }


    private static IdleEvent onlyIdleEvent(Connection connection) {
        await().atMost(LoopFixture.WAIT).until(connection::isClosed);
        assertThat(connection.idles).hasSize(1);
        return connection.idles.get(0);
    }

    /** Not before {@code timeout} after {@code sinceNanos}, and within the slack after that. */
    private static void assertFiredWithinTolerance(IdleEvent idle, long sinceNanos, Duration timeout) {
        long elapsed = nanosBetween(sinceNanos, idle.atNanos());
        assertThat(elapsed).as("%s fired after %d ms, timeout %d ms", idle.state(), elapsed / 1_000_000,
                timeout.toMillis()).isBetween(timeout.toNanos(), timeout.plus(SLACK).toNanos());
    }

    private void assertClosedAndGone(Connection connection) {
        assertThat(connection.isClosed()).isTrue();
        assertThat(connection.state()).isEqualTo(ChannelState.CLOSED);
        assertThat(this.fixture.map.find(connection.id())).isEmpty();
    }

    /** The server closed: end-of-stream, or a reset when it closed with unread bytes from the client. */
    private static void assertPeerClosed(BlockingClient client) throws IOException {
        try {
            assertThat(client.read()).isEqualTo(-1);
        }
        catch (SocketException ex) {
            assertThat(ex.getMessage()).containsIgnoringCase("reset");
        }
    }

    /** @return false when the write failed because the server already closed the connection */
    private static boolean writeUnlessClosed(BlockingClient client, Connection connection) throws IOException {
        try {
            client.write(new byte[] { 'x' });
            return true;
        }
        catch (IOException ex) {
            if (connection.isClosed()) {
                return false;
            }
            throw ex;
        }
    }

    private static long nanosBetween(long from, long to) {
        return to - from;
    }

    private static long millis(Connection connection, IdleEvent idle) {
        return nanosBetween(connection.lastReadBefore(idle.atNanos()), idle.atNanos()) / 1_000_000;
    }

    record IdleEvent(IdleState state, long atNanos, String thread) {
    }

    /** Reads and discards, records reads and idle events; never waits to write. */
    static final class Connection extends Dispatcher {

        final long activeSince;

        final List<IdleEvent> idles = new CopyOnWriteArrayList<>();

        /** When each read that returned bytes started (so never later than the dispatcher's own record). */
        final List<Long> reads = new CopyOnWriteArrayList<>();

        final AtomicLong bytesRead = new AtomicLong();

        private final int keepOpenForIdles;

        Connection(SocketChannel channel, long activeSince, int keepOpenForIdles) throws IOException {
            super(channel);
            this.activeSince = activeSince;
            this.keepOpenForIdles = keepOpenForIdles;
        }

        @Override
        public boolean writable() {
            return false;
        }

        @Override
        public void handleRead() throws IOException {
            long started = System.nanoTime();
            byte[] data = recv(256);
            if (data.length > 0) {
                this.reads.add(started);
                this.bytesRead.addAndGet(data.length);
            }
        }

        @Override
        public void handleIdle(IdleState state) throws IOException {
            this.idles.add(new IdleEvent(state, System.nanoTime(), Thread.currentThread().getName()));
            if (this.idles.size() > this.keepOpenForIdles) {
                super.handleIdle(state);
            }
        }

        /** @return the start of the last read before the given time, or the activation time if none */
        long lastReadBefore(long nanos) {
            long last = this.activeSince;
            for (long read : this.reads) {
                if (read - nanos <= 0 && read - last > 0) {
                    last = read;
                }
            }
            return last;
        }

    }

}
