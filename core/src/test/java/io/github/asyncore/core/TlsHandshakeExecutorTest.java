package io.github.asyncore.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TLS handshake's engine work (delegated tasks, and the wraps and unwraps in which an engine such as
 * Conscrypt does its key agreement) runs on the map's handshake executor, not on the loop: while it is held
 * back the handshake waits, registered for nothing (so the loop neither spins nor stalls) and the loop
 * serves its other channels; once it has run elsewhere, the loop finishes the handshake and the echo works. Real loopback sockets and the JDK's {@link SSLSocket} as the peer.
 */
class TlsHandshakeExecutorTest {

    private static final TestPki pki = TestPki.get();

    private final LoopFixture fixture = LoopFixture.started("tls-tasks");

    private final SSLContext serverContext = TestPki.context(pki.server);

    private final SSLContext clientContext = TestPki.context(null, pki.ca);

    @AfterEach
    void close() {
        this.fixture.close();
    }

    /** Conscrypt has no delegated tasks: its key agreement and signature run inside wrap and unwrap. */
    @ParameterizedTest
    @ValueSource(strings = { "jdk", "conscrypt" })
    void handshakeWorkRunsOnTheHandshakeExecutorWhileTheLoopServesOthers(String provider) throws Exception {
        HeldTasks held = new HeldTasks();
        this.fixture.map.setHandshakeExecutor(held);
        SSLContext context = "conscrypt".equals(provider) ? TlsEchoConscryptTest.conscryptServer(pki)
                : this.serverContext;
        TlsPeers.Listener tls = this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map,
                TlsSettings.server(context), TlsPeers.Echo::new));
        assertThat(held.tasks).as("the settings' warm-up: one engine made off the loop").hasSize(1);
        TestListener plain = this.fixture.onLoop(() -> new TestListener(this.fixture.map, TlsPeers.Echo::new));
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, tls.port());
                BlockingClient bystander = BlockingClient.connect(plain.address())) {
            CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> {
                try {
                    client.startHandshake();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            await().atMost(LoopFixture.WAIT).until(() -> held.tasks.size() > 1); // the handshake's, after it
            ChannelSnapshot waiting = tlsConnection();
            assertThat(waiting.tls().handshakeComplete()).isFalse();
            long iterations = this.fixture.loop.snapshot().iterations();
            await().during(Duration.ofMillis(300)) // it waits for the tasks, not the socket: the loop idles
                .atMost(Duration.ofSeconds(2))
                .until(() -> this.fixture.loop.snapshot().iterations() - iterations < 100);
            for (int i = 0; i < 20; i++) { // the loop serves its other channels meanwhile
                bystander.write("round " + i + "\n");
                assertThat(bystander.readExactly("round " + i + "\n")).isEqualTo("round " + i + "\n");
            }
            assertThat(handshake).isNotDone();
            await().atMost(LoopFixture.WAIT).until(() -> { // on the test's thread, never the loop's
                held.runPending(); // the server's last step (the client's Finished, a ticket) follows the client's
                return handshake.isDone() && tlsConnection().tls().handshakeComplete();
            });
            handshake.get(LoopFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
            client.getOutputStream().write("hello tls".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            assertThat(new String(client.getInputStream().readNBytes(9), StandardCharsets.UTF_8)).isEqualTo("hello tls");
        }
        assertThat(held.ranOn).isNotEmpty().doesNotContain(this.fixture.loop.snapshot().thread());
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isEqualTo(1);
        assertThat(this.fixture.loop.snapshot().spinningWriters()).isZero();
    }

    @Test
    void theDefaultSharedPoolRunsThemOffTheLoop() throws Exception {
        assertThat(this.fixture.map.getHandshakeExecutor()).isNotNull();
        List<String> threads = new CopyOnWriteArrayList<>();
        Executor shared = this.fixture.map.getHandshakeExecutor();
        this.fixture.map.setHandshakeExecutor((task) -> shared.execute(() -> {
            threads.add(Thread.currentThread().getName());
            task.run();
        }));
        TlsPeers.Listener tls = this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map,
                TlsSettings.server(this.serverContext), TlsPeers.Echo::new));
        for (int i = 0; i < 3; i++) {
            try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, tls.port())) {
                client.startHandshake();
                client.getOutputStream().write('x');
                client.getOutputStream().flush();
                assertThat(client.getInputStream().read()).isEqualTo('x');
            }
        }
        assertThat(threads).isNotEmpty().allSatisfy((thread) -> assertThat(thread).startsWith("asyncore-handshake-"));
    }

    @Test
    void withoutAnExecutorTheyRunOnTheLoopAsBefore() throws Exception {
        this.fixture.map.setHandshakeExecutor(null);
        TlsPeers.Listener tls = this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map,
                TlsSettings.server(this.serverContext), TlsPeers.Echo::new));
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, tls.port())) {
            client.startHandshake();
            client.getOutputStream().write('y');
            client.getOutputStream().flush();
            assertThat(client.getInputStream().read()).isEqualTo('y');
        }
    }

    private ChannelSnapshot tlsConnection() {
        return await().atMost(LoopFixture.WAIT)
            .until(() -> this.fixture.map.snapshot()
                .stream()
                .filter((channel) -> channel.kind() == ChannelKind.CONNECTION && channel.tls() != null)
                .findFirst()
                .orElse(null), (snapshot) -> snapshot != null);
    }

    /** An executor that keeps the tasks until the test runs them, noting on which thread they ran. */
    static final class HeldTasks implements Executor {

        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        final List<String> ranOn = new CopyOnWriteArrayList<>();

        @Override
        public void execute(Runnable task) {
            this.tasks.add(task);
        }

        /** Runs what is held now, on the calling thread. */
        void runPending() {
            Runnable task;
            while ((task = this.tasks.poll()) != null) {
                this.ranOn.add(Thread.currentThread().getName());
                task.run();
            }
        }

    }

}
