package io.github.asyncore.core;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loop notices the two costly asyncore mistakes over real loopback connections: a {@code writable()}
 * that stays true while nothing is written (the loop spins) and a {@code readable()} that stays false while
 * input waits. Each is flagged once, in the snapshot, the loop's counters and the log, naming the class.
 */
class DispatcherDiagnosticsTest {

    private final LoopFixture fixture = LoopFixture.started("diagnostics");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void aSpinningWritableIsFlaggedWithinASecond() throws Exception {
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Spinning::new));
            try (BlockingClient client = BlockingClient.connect(listener.address())) {
                Spinning server = listener.awaitAccepted();
                await().atMost(Duration.ofSeconds(1)).until(() -> !diagnostics(server).isEmpty());
                assertThat(diagnostics(server)).singleElement().asString().startsWith("writable() answered true");
                assertThat(this.fixture.loop.snapshot().spinningWriters()).isEqualTo(1);
                assertThat(this.fixture.loop.snapshot().stuckReaders()).isZero();
                assertThat(log.messages()).filteredOn((line) -> line.contains("writable() answered true"))
                    .singleElement()
                    .asString()
                    .startsWith("WARN")
                    .contains(Spinning.class.getName());
            }
        }
    }

    @Test
    void aReadableThatLeavesInputWaitingIsFlagged() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Deaf::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Deaf server = listener.awaitAccepted();
            client.write("hello?");
            await().atMost(LoopFixture.WAIT).until(() -> !diagnostics(server).isEmpty());
            assertThat(diagnostics(server)).singleElement().asString().startsWith("readable() answered false");
            assertThat(this.fixture.loop.snapshot().stuckReaders()).isEqualTo(1);
        }
    }

    @Test
    void aReadableThatIsFalseWithNothingWaitingIsNotFlagged() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Deaf::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Deaf server = listener.awaitAccepted();
            await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> diagnostics(server).isEmpty());
            assertThat(this.fixture.loop.snapshot().stuckReaders()).isZero();
        }
    }

    @Test
    void aBufferedDispatcherThatEchoesIsNeverFlagged() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Echo::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Echo server = listener.awaitAccepted();
            for (int i = 0; i < 200; i++) {
                client.write("line " + i + "\n");
                assertThat(client.readExactly("line " + i + "\n")).isEqualTo("line " + i + "\n");
            }
            assertThat(diagnostics(server)).isEmpty();
            assertThat(this.fixture.loop.snapshot().spinningWriters()).isZero();
        }
    }

    private List<String> diagnostics(Dispatcher dispatcher) {
        return this.fixture.map.snapshot(dispatcher.id()).map(ChannelSnapshot::diagnostics).orElse(List.of());
    }

    /** The mistake: always writable, never writes. */
    static final class Spinning extends Dispatcher {

        Spinning(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void handleWrite() {
        }

    }

    /** Never readable (nor writable: it has nothing to say). */
    static final class Deaf extends Dispatcher {

        Deaf(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public boolean readable() {
            return false;
        }

        @Override
        public boolean writable() {
            return false;
        }

    }

    static final class Echo extends BufferedDispatcher {

        Echo(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            send(recv(4096));
        }

    }

}
