package io.github.asyncore.autoconfigure.health;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.autoconfigure.ActuatorClient;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.core.EventLoop;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The readiness probe over real HTTP: {@code /actuator/health/readiness} goes OUT_OF_SERVICE (503) while
 * the listener has its max-connections open or the loop stays busy, and comes back UP when that ends;
 * liveness stays UP throughout.
 */
class AsyncoreReadinessProbeTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A listener that takes two connections at most. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "asyncore.dispatchers.echoServer.max-connections=2",
                    "management.endpoints.web.exposure.include=health",
                    "management.endpoint.health.show-details=always",
                    "management.endpoint.health.probes.enabled=true" })
    class AtMaxConnections extends Probes {

        @Autowired
        private EchoApplication.EchoServer echoServer;

        private final List<Socket> clients = new ArrayList<>();

        @AfterEach
        void closeClients() throws IOException {
            for (Socket client : this.clients) {
                client.close();
            }
        }

        @Test
        void readinessIsOutOfServiceWhileTheListenerIsFullAndUpAgainAfter() throws IOException {
            assertThat(status("/actuator/health/readiness")).isEqualTo(200);
            connect();
            connect();
            await().atMost(WAIT).until(() -> status("/actuator/health/readiness") == 503);
            String readiness = actuator().get("/actuator/health/readiness").body();
            assertThat((String) JsonPath.read(readiness, "$.status")).isEqualTo("OUT_OF_SERVICE");
            String health = actuator().get("/actuator/health").body();
            assertThat((String) JsonPath.read(health, "$.components.asyncoreReadiness.details.reasons.echoServer"))
                .isEqualTo("2 connections open, its max-connections");
            assertThat((Integer) JsonPath.read(health,
                    "$.components.asyncoreReadiness.details.listeners.echoServer.openConnections")).isEqualTo(2);
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
            this.clients.remove(0).close();
            await().atMost(WAIT).until(() -> status("/actuator/health/readiness") == 200);
            assertThat((String) JsonPath.read(actuator().get("/actuator/health/readiness").body(), "$.status"))
                .isEqualTo("UP");
        }

        private void connect() throws IOException {
            this.clients.add(LoopbackClients.connect(this.echoServer));
        }

    }

    /** A loop counts as saturated when more than half busy for a second. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "asyncore.readiness.busy-threshold=0.5", "asyncore.readiness.busy-duration=1s",
                    "asyncore.loop.stall-threshold=1s",
                    "management.endpoints.web.exposure.include=health",
                    "management.endpoint.health.probes.enabled=true" })
    class Busy extends Probes {

        @Autowired
        private EventLoopGroup group;

        @Test
        void readinessIsOutOfServiceWhileTheLoopStaysBusyAndUpAgainAfter() {
            EventLoop loop = this.group.acceptor().eventLoop();
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            loop.execute(new Runnable() {
                @Override
                public void run() { // 20 ms of work at a time, without a pause, for 4 s: busy, never stalled
                    long slice = System.nanoTime() + Duration.ofMillis(20).toNanos();
                    while (System.nanoTime() < slice) {
                        Thread.onSpinWait();
                    }
                    if (System.nanoTime() < until) {
                        loop.execute(this);
                    }
                }
            });
            await().atMost(WAIT).until(() -> status("/actuator/health/readiness") == 503);
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
            await().atMost(WAIT).until(() -> status("/actuator/health/readiness") == 200);
        }

    }

    abstract static class Probes {

        @LocalServerPort
        private int port;

        private ActuatorClient actuator;

        @BeforeEach
        void createClient() {
            this.actuator = new ActuatorClient(this.port);
        }

        ActuatorClient actuator() {
            return this.actuator;
        }

        int status(String path) {
            return this.actuator.get(path).statusCode();
        }

    }

}
