package io.github.asyncore.autoconfigure.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.autoconfigure.readme.EchoHandler;
import io.github.asyncore.boot.actuate.metrics.AsyncoreMetrics;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoop;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.github.asyncore.core.SocketType;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The meters on real loops and real loopback traffic, without Spring. */
class AsyncoreMetricsTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EventLoopGroup group = new EventLoopGroup("metrics-test", 2);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void bindAndStart() {
        new AsyncoreMetrics(this.group, Tags.of("app", "test")).bindTo(this.registry);
        this.group.start();
    }

    @AfterEach
    void closeGroup() {
        this.group.close();
    }

    @Test
    void everyLoopHasItsSeriesAndEveryDispatcherNameItsOwn() throws Exception {
        for (String loop : List.of("metrics-test-0", "metrics-test-1")) {
            assertThat(this.registry.get("asyncore.loop.stalls").tag("loop", loop).functionCounter().count()).isZero();
            assertThat(this.registry.get("asyncore.handler.duration").tag("loop", loop).functionTimer()).isNotNull();
            assertThat(this.registry.get("asyncore.output.memory.used").tag("loop", loop).gauge().value()).isZero();
            assertThat(this.registry.get("asyncore.output.memory.max").tag("loop", loop).gauge().value())
                .isEqualTo(64 * 1024 * 1024);
            assertThat(this.registry.get("asyncore.loop.busy").tag("loop", loop).gauge().value()).isBetween(0.0, 1.0);
            assertThat(this.registry.get("asyncore.loop.busy.time").tag("loop", loop).functionCounter().count())
                .isGreaterThanOrEqualTo(0);
            assertThat(this.registry.get("asyncore.loop.iterations").tag("loop", loop).functionCounter()).isNotNull();
            for (String predicate : List.of("writable", "readable")) {
                assertThat(this.registry.get("asyncore.diagnostics").tag("loop", loop).tag("predicate", predicate)
                    .functionCounter().count()).as(predicate).isZero();
            }
        }
        // traffic meters appear with the first name a loop counts under
        assertThat(this.registry.find("asyncore.bytes.read").meters()).isEmpty();
        assertThat(this.registry.getMeters()).hasSize(2 * 9);
        listen("echo");
        Tags echo = Tags.of("loop", "metrics-test-0", "dispatcher", "echo");
        for (String name : List.of("asyncore.bytes.read", "asyncore.bytes.written", "asyncore.connections.accepted",
                "asyncore.connections.rejected", "asyncore.connections.refused", "asyncore.handler.errors",
                "asyncore.tls.handshakes", "asyncore.tls.handshake.failures")) {
            assertThat(this.registry.get(name).tags(echo).functionCounter().count()).as(name).isZero();
        }
        for (String type : List.of("idle", "connect")) {
            assertThat(this.registry.get("asyncore.timeouts").tags(echo).tag("type", type).functionCounter())
                .isNotNull();
        }
        for (String limit : List.of("hard", "soft", "memory")) {
            assertThat(this.registry.get("asyncore.output.limit.closes").tags(echo).tag("limit", limit)
                .functionCounter().count()).as(limit).isZero();
        }
        for (String kind : List.of("connection", "client", "datagram")) {
            assertThat(this.registry.get("asyncore.channels").tags("kind", kind, "dispatcher", "echo").gauge().value())
                .isZero();
        }
        assertThat(this.registry.get("asyncore.channels").tags("kind", "listener", "dispatcher", "echo").gauge()
            .value()).isEqualTo(1);
        assertThat(this.registry.getMeters()).hasSize(2 * 9 + 4 + 13)
            .allSatisfy((meter) -> assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank())
            .allSatisfy((meter) -> assertThat(meter.getId().getTag("app")).isEqualTo("test"));
        assertThat(this.registry.get("asyncore.bytes.read").meter().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(this.registry.get("asyncore.loop.stalls").meter().getId().getTag("dispatcher")).isNull();
    }

    @Test
    void metersFollowTrafficAcrossLoops() throws Exception {
        Dispatcher listener = listen("echo");
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        assertThat(this.registry.get("asyncore.channels").tag("kind", "listener").gauge().value()).isEqualTo(1);
        // with two loops, the two connections go one to each loop, and count there under their listener's name
        try (Socket first = LoopbackClients.connect(port); Socket second = LoopbackClients.connect(port)) {
            LoopbackClients.echo(first, LoopbackClients.pattern(100));
            LoopbackClients.echo(second, LoopbackClients.pattern(20));
            assertThat(this.registry.get("asyncore.channels").tags("kind", "connection", "dispatcher", "echo").gauge()
                .value()).isEqualTo(2);
            assertThat(sum("asyncore.bytes.read")).isEqualTo(120);
            // a write is counted once the socket took it, which may be just after the peer already has it
            await().atMost(WAIT).until(() -> sum("asyncore.bytes.written") == 120);
            assertThat(this.registry.get("asyncore.connections.accepted").tags("loop", "metrics-test-0",
                    "dispatcher", "echo").functionCounter().count()).isEqualTo(2);
            assertThat(this.registry.find("asyncore.bytes.read").functionCounters()).hasSize(2)
                .allSatisfy((counter) -> assertThat(counter.getId().getTag("dispatcher")).isEqualTo("echo"))
                .allSatisfy((counter) -> assertThat(counter.count()).isPositive());
            FunctionTimer handlers = this.registry.get("asyncore.handler.duration").tag("loop", "metrics-test-1")
                .functionTimer();
            // a handler call is timed when it returns, which may be just after its echo reached the client
            await().atMost(WAIT).until(() -> handlers.count() > 0);
            assertThat(handlers.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        }
        await().atMost(WAIT).until(() -> this.registry.get("asyncore.channels").tag("kind", "connection").gauge()
            .value() == 0);
        // counters are cumulative: closing the connections takes nothing back
        assertThat(sum("asyncore.bytes.read")).isEqualTo(120);
    }

    @Test
    void twoListenersHaveSeriesOfTheirOwn() throws Exception {
        Dispatcher alpha = listen("alpha");
        Dispatcher beta = listen("beta");
        try (Socket a = LoopbackClients.connect(LoopbackClients.port(alpha));
                Socket b = LoopbackClients.connect(LoopbackClients.port(beta))) {
            LoopbackClients.echo(a, LoopbackClients.pattern(300));
            LoopbackClients.echo(b, LoopbackClients.pattern(12));
            assertThat(dispatcherSum("asyncore.bytes.read", "alpha")).isEqualTo(300);
            assertThat(dispatcherSum("asyncore.bytes.read", "beta")).isEqualTo(12);
            await().atMost(WAIT).until(() -> dispatcherSum("asyncore.bytes.written", "alpha") == 300
                    && dispatcherSum("asyncore.bytes.written", "beta") == 12);
            assertThat(dispatcherSum("asyncore.connections.accepted", "alpha")).isEqualTo(1);
            assertThat(dispatcherSum("asyncore.connections.accepted", "beta")).isEqualTo(1);
            // the loops' own totals are the sums over names
            long read = this.group.loopSnapshots().stream().mapToLong(LoopSnapshot::bytesRead).sum();
            assertThat(read).isEqualTo(312);
            assertThat(this.registry.find("asyncore.bytes.read").functionCounters())
                .extracting((counter) -> counter.getId().getTag("dispatcher"))
                .containsOnly("alpha", "beta");
        }
    }

    @Test
    void stallsAreCountedPerLoop() throws InterruptedException {
        EventLoop loop = this.group.maps().get(1).eventLoop();
        loop.setStallThreshold(Duration.ofMillis(20));
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            await().atMost(WAIT).until(() -> loop.snapshot().stalled());
        }
        finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> this.registry.get("asyncore.loop.stalls").tag("loop", "metrics-test-1")
            .functionCounter().count() == 1);
        assertThat(this.registry.get("asyncore.loop.stalls").tag("loop", "metrics-test-0").functionCounter().count())
            .isZero();
    }

    private double sum(String name) {
        return this.registry.find(name).functionCounters().stream().mapToDouble((counter) -> counter.count()).sum();
    }

    /** @return the named dispatcher's count over every loop */
    private double dispatcherSum(String name, String dispatcher) {
        return this.registry.find(name).tag("dispatcher", dispatcher).functionCounters().stream()
            .mapToDouble((counter) -> counter.count()).sum();
    }

    private Dispatcher listen(String name) throws Exception {
        CompletableFuture<Dispatcher> listening = new CompletableFuture<>();
        this.group.acceptor().eventLoop().execute(() -> {
            try {
                Dispatcher listener = new Listener();
                listener.setName(name);
                listener.createSocket(StandardProtocolFamily.INET, SocketType.STREAM);
                listener.bind(new InetSocketAddress("127.0.0.1", 0));
                listener.listen(16);
                listening.complete(listener);
            }
            catch (Throwable ex) {
                listening.completeExceptionally(ex);
            }
        });
        return listening.get(10, TimeUnit.SECONDS);
    }

    /** Made on the acceptor loop's thread, so it joins that loop's map. */
    private static final class Listener extends Dispatcher {

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            new EchoHandler(channel);
        }

    }

}
