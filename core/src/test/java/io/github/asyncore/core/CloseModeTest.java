package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;

import io.github.asyncore.core.ChannelTransition.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link Dispatcher#close(CloseReason, CloseMode)} over real loopback sockets, asked from another thread as
 * the actuator endpoint asks it: a drain writes every queued byte and then the FIN, an abort resets the
 * connection and drops what is queued. Both record the request in the channel's history.
 */
class CloseModeTest {

    /** Far more than loopback's socket buffers hold, so that most of it is still queued when the close comes. */
    private static final int ANSWER_SIZE = 16 * 1024 * 1024;

    private static final byte[] ANSWER = pattern(ANSWER_SIZE);

    private final LoopFixture fixture = LoopFixture.started("close-modes");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void aDrainWritesEveryQueuedByteThenEndOfStream() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Answer::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Answer server = listener.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(() -> server.queued);
            assertThat(snapshot(server).pendingOutputBytes()).as("still queued when the drain is asked")
                .isGreaterThan(1024 * 1024);
            server.close(CloseReason.OPERATOR, CloseMode.DRAIN);
            byte[] received = client.readToEnd();
            assertThat(received.length).isEqualTo(ANSWER_SIZE);
            assertThat(Arrays.mismatch(received, ANSWER)).as("first corrupt byte").isEqualTo(-1);
        }
        Answer server = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(server::isClosed);
        assertThat(server.getCloseReason()).isEqualTo(CloseReason.OPERATOR);
        assertThat(kinds(server)).containsSubsequence(Kind.OPENED, Kind.CLOSE_REQUESTED, Kind.OUTPUT_SHUTDOWN,
                Kind.CLOSED);
        assertThat(history(server)).anySatisfy((transition) -> {
            assertThat(transition.kind()).isEqualTo(Kind.CLOSE_REQUESTED);
            assertThat(transition.detail()).isEqualTo("drain, OPERATOR");
        });
    }

    @Test
    void aDrainClosesAPeerThatNeverClosesAfterItsGrace() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Answer::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Answer server = listener.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(() -> server.queued);
            server.close(CloseReason.OPERATOR, CloseMode.DRAIN);
            assertThat(client.readExactly(ANSWER_SIZE)).isEqualTo(ANSWER);
            await().atMost(LoopFixture.WAIT).until(server::isClosed); // the client neither reads on nor closes
            assertThat(server.getCloseReason()).isEqualTo(CloseReason.OPERATOR);
        }
    }

    @Test
    void anAbortResetsTheConnectionAndDropsQueuedOutput() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Answer::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Answer server = listener.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(() -> server.queued);
            server.close(CloseReason.OPERATOR, CloseMode.ABORT);
            await().atMost(LoopFixture.WAIT).until(server::isClosed);
            assertThatExceptionOfType(SocketException.class).isThrownBy(client::readToEnd)
                .withMessageContaining("reset");
            assertThat(server.getCloseReason()).isEqualTo(CloseReason.OPERATOR);
            assertThat(kinds(server)).containsSubsequence(Kind.CLOSE_REQUESTED, Kind.CLOSED);
            assertThat(history(server).get(history(server).size() - 1).detail()).isEqualTo("OPERATOR");
        }
    }

    @Test
    void theDefaultModeClosesAsCloseDoes() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Answer::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Answer server = listener.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(() -> server.queued);
            server.close(CloseReason.OPERATOR, CloseMode.CLOSE);
            await().atMost(LoopFixture.WAIT).until(server::isClosed);
            assertThat(server.getCloseReason()).isEqualTo(CloseReason.OPERATOR);
            assertThat(kinds(server)).doesNotContain(Kind.CLOSE_REQUESTED).endsWith(Kind.CLOSED);
        }
    }

    @Test
    void aListenerDrainedOrAbortedJustCloses() {
        TestListener drained = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Answer::new));
        TestListener aborted = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Answer::new));
        drained.close(CloseReason.OPERATOR, CloseMode.DRAIN);
        aborted.close(CloseReason.OPERATOR, CloseMode.ABORT);
        await().atMost(LoopFixture.WAIT).until(() -> drained.isClosed() && aborted.isClosed());
        assertThat(drained.getCloseReason()).isEqualTo(CloseReason.OPERATOR);
        assertThat(aborted.getCloseReason()).isEqualTo(CloseReason.OPERATOR);
    }

    private ChannelSnapshot snapshot(Dispatcher dispatcher) {
        return this.fixture.map.snapshot(dispatcher.id()).orElseThrow();
    }

    private static List<ChannelTransition> history(Dispatcher dispatcher) {
        return dispatcher.core().history().entries();
    }

    private static List<Kind> kinds(Dispatcher dispatcher) {
        return history(dispatcher).stream().map(ChannelTransition::kind).toList();
    }

    private static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    /** Queues the whole answer as soon as it is accepted, and ignores what the peer sends. */
    static final class Answer extends BufferedDispatcher {

        volatile boolean queued;

        Answer(SocketChannel channel) throws IOException {
            super(channel);
            setSettings(getSettings().withOutputLimit(OutputLimit.NONE));
            send(ANSWER);
            this.queued = true;
        }

        @Override
        public void handleRead() throws IOException {
            recv(64 * 1024);
        }

    }

}
