package io.github.asyncore.core;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connects that do not complete: one that hangs is failed by the connect timeout, one that is refused
 * reaches {@link Dispatcher#handleError(Throwable)} at once.
 * <p>
 * A connect that hangs on loopback: a {@link ServerSocket} with a backlog of 1 that never accepts, whose
 * accept queue is filled by two plain connected sockets. Linux then drops further SYNs (with
 * {@code tcp_abort_on_overflow} 0, the default), so the next connect stays in SYN-SENT and is retried
 * only after a second or more. Checked by hand on this machine: the third blocking connect timed out
 * after 1 s, and a non-blocking one never became connectable within 3 s.
 * <p>
 * The last two tests keep the channel open in {@code handleError} (as a handler may): a connect that
 * failed must then neither fail a second time nor complete later.
 */
class ConnectTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private static final Duration SLACK = Duration.ofSeconds(2);

    private final LoopFixture fixture = LoopFixture.started("connect-timeout");

    private final List<AutoCloseable> resources = new ArrayList<>();

    private ServerSocket blackHole;

    @AfterEach
    void close() throws Exception {
        this.fixture.close();
        for (AutoCloseable resource : this.resources) {
            resource.close();
        }
    }

    @Test
    void connectThatNeverCompletesFailsWithSocketTimeoutExceptionNamingTheAddressAfterTheTimeout() throws Exception {
        InetSocketAddress address = blackHole();
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            long[] startedAt = new long[1];
            ChannelState[] stateAfterConnect = new ChannelState[1];
            Client client = this.fixture.onLoop(() -> {
                Client created = new Client(this.fixture.map, ChannelSettings.DEFAULTS.withConnectTimeout(TIMEOUT));
                startedAt[0] = System.nanoTime();
                created.connect(address);
                stateAfterConnect[0] = created.state();
                return created;
            });
            assertThat(stateAfterConnect[0]).isEqualTo(ChannelState.CONNECTING);

            await().atMost(LoopFixture.WAIT).until(() -> !client.errors.isEmpty());

            assertThat(client.count("connect")).as("the SYN-drop trick must keep the connect hanging").isZero();
            Throwable error = client.errors.get(0);
            String where = "127.0.0.1:" + address.getPort();
            assertThat(error).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining(where)
                .hasMessageContaining(TIMEOUT.toMillis() + " ms");
            long elapsed = client.errorAt - startedAt[0];
            assertThat(elapsed).as("timed out after %d ms", elapsed / 1_000_000)
                .isBetween(TIMEOUT.toNanos(), TIMEOUT.plus(SLACK).toNanos());
            assertThat(client.events).as("handleError first; its default then calls handleClose")
                .containsExactly("error", "close");
            await().atMost(LoopFixture.WAIT).until(client::isClosed);
            assertThat(this.fixture.map.find(client.id())).isEmpty();
            LoopSnapshot loop = this.fixture.loop.snapshot();
            assertThat(loop.connectTimeouts()).isEqualTo(1);
            assertThat(loop.handlerErrors()).isEqualTo(1);
            assertThat(log.joined()).contains("SocketTimeoutException").contains(where);
        }
    }

    @Test
    void zeroConnectTimeoutLetsAHangingConnectWait() throws Exception {
        InetSocketAddress address = blackHole();
        Client client = this.fixture.onLoop(() -> {
            Client created = new Client(this.fixture.map, ChannelSettings.DEFAULTS.withConnectTimeout(Duration.ZERO));
            created.connect(address);
            return created;
        });

        // Well past the 300 ms the other test fails at; short of the kernel's first SYN retry (1 s), which
        // the full queue drops anyway.
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
            .until(() -> client.state() == ChannelState.CONNECTING && client.errors.isEmpty());
        assertThat(this.fixture.loop.snapshot().connectTimeouts()).isZero();
        assertThat(this.fixture.loop.snapshot().scheduledTimers()).as("no connect timer is armed").isZero();
    }

    @Test
    void refusedConnectReachesHandleErrorQuicklyWithAConnectException() throws Exception {
        InetSocketAddress address = closedPort();
        try (LogCapture log = LogCapture.of(Dispatcher.class)) {
            long[] startedAt = new long[1];
            // The default 30 s connect timeout: a refused connect must not wait for it.
            Client client = this.fixture.onLoop(() -> {
                Client created = new Client(this.fixture.map, ChannelSettings.DEFAULTS);
                startedAt[0] = System.nanoTime();
                created.connect(address); // loopback reports the refusal asynchronously: no exception here
                return created;
            });

            await().atMost(LoopFixture.WAIT).until(() -> !client.errors.isEmpty());

            long elapsed = client.errorAt - startedAt[0];
            assertThat(elapsed).as("refused after %d ms", elapsed / 1_000_000)
                .isLessThan(SLACK.toNanos());
            assertThat(client.errors).hasSize(1);
            assertThat(client.errors.get(0)).isInstanceOf(ConnectException.class)
                .hasMessageContainingAll("refused");
            assertThat(client.events).as("an error, not a disconnect: handleError first, then its default's close")
                .containsExactly("error", "close");
            assertThat(client.count("connect")).isZero();
            await().atMost(LoopFixture.WAIT).until(client::isClosed);
            assertThat(this.fixture.map.find(client.id())).isEmpty();
            LoopSnapshot loop = this.fixture.loop.snapshot();
            assertThat(loop.connectTimeouts()).isZero();
            assertThat(loop.handlerErrors()).isEqualTo(1);
            assertThat(log.joined()).contains("ConnectException");
        }
    }

    /**
     * A handler may override {@code handleError} without closing (asyncore leaves that choice to it). A
     * refused connect is over all the same (the JDK closes the socket), so its connect timer must not
     * later report a second failure, a timeout, for it.
     */
    @Test
    void refusedConnectIsReportedOnceEvenWhenHandleErrorKeepsTheChannel() throws Exception {
        InetSocketAddress address = closedPort();
        Client client = connectKeepingTheChannelOnError(address);
        assertThat(client.errors.get(0)).isInstanceOf(ConnectException.class);

        // The connect is over: its timer must not report a second, contradictory failure.
        await().during(TIMEOUT.plus(Duration.ofMillis(500))).atMost(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(client.errors).as("errors reported for one refused connect")
                .hasSize(1));
        assertThat(this.fixture.loop.snapshot().connectTimeouts()).isZero();
    }

    /**
     * A connect reported as failed by its timeout must not complete afterwards and call
     * {@code handleConnect}, even when {@code handleError} does not close the channel.
     */
    @Test
    void timedOutConnectNeverCompletesLaterEvenWhenHandleErrorKeepsTheChannel() throws Exception {
        InetSocketAddress address = blackHole();
        Client client = connectKeepingTheChannelOnError(address);
        assertThat(client.errors.get(0)).isInstanceOf(SocketTimeoutException.class);

        // Make room in the accept queue: the kernel's SYN retry (1 s after the first SYN) can now succeed,
        // so a connect that was left running would complete within the wait below.
        this.blackHole.setSoTimeout(2_000);
        this.resources.add(this.blackHole.accept());
        this.resources.add(this.blackHole.accept());
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).untilAsserted(() -> {
            assertThat(client.events).as("hooks called; no handleConnect after the connect timed out")
                .containsExactly("error");
        });
    }

    // ---------------------------------------------------------------- helpers

    /** @return a loopback address whose accept queue is full, so that a connect to it hangs */
    /** Connects a client whose handleError does not close, and waits for its first error. */
    private Client connectKeepingTheChannelOnError(InetSocketAddress address) {
        Client client = this.fixture.onLoop(() -> {
            Client created = new Client(this.fixture.map, ChannelSettings.DEFAULTS.withConnectTimeout(TIMEOUT));
            created.closeOnError = false;
            created.connect(address);
            return created;
        });
        await().atMost(LoopFixture.WAIT).until(() -> !client.errors.isEmpty());
        return client;
    }

    private InetSocketAddress blackHole() throws IOException {
        ServerSocket server = new ServerSocket();
        this.resources.add(server);
        this.blackHole = server;
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        // Linux: the queue of a backlog-1 listener is full with two connections; both complete at once.
        for (int i = 0; i < 2; i++) {
            Socket filler = new Socket();
            this.resources.add(filler);
            filler.connect(server.getLocalSocketAddress(), 2_000);
        }
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** @return a loopback address on which nothing listens */
    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            return (InetSocketAddress) server.getLocalSocketAddress();
        }
    }

    /**
     * A client that records its hooks (as {@link RecordingDispatcher}) and when an error arrived, and may
     * keep the channel open on an error. It asks to write, so that a completed connect calls
     * {@code handleConnect} at once, through the first write event.
     */
    static final class Client extends RecordingDispatcher {

        volatile long errorAt;

        volatile boolean closeOnError = true;

        Client(ChannelMap map, ChannelSettings settings) throws IOException {
            super(map);
            this.writable = true;
            setSettings(settings);
            createSocket();
        }

        @Override
        public void handleError(Throwable error) {
            this.errorAt = System.nanoTime();
            if (this.closeOnError) {
                super.handleError(error);
            }
            else {
                this.events.add("error");
                this.errors.add(error);
            }
        }

    }

}
