package io.github.asyncore.autoconfigure.health;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.autoconfigure.ActuatorClient;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/health} over real HTTP, with a real echo listener and real clients. Each test breaks
 * (or may break) the loop, so each gets a fresh context.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "asyncore.loop.stall-threshold=200ms", "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class AsyncoreHealthEndpointTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    private int port;

    @Autowired
    private EventLoopGroup group;

    @Autowired
    private EchoApplication.EchoServer echoServer;

    private ActuatorClient actuator;

    @BeforeEach
    void createClient() {
        this.actuator = new ActuatorClient(this.port);
    }

    @Test
    void healthIsUpWithLoopsAndChannels() throws Exception {
        try (Socket client = LoopbackClients.connect(this.echoServer)) {
            LoopbackClients.echo(client, "ping".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = this.actuator.get("/actuator/health");
            assertThat(response.statusCode()).isEqualTo(200);
            String body = response.body();
            assertThat((String) JsonPath.read(body, "$.status")).isEqualTo("UP");
            assertThat((String) JsonPath.read(body, "$.components.asyncore.status")).isEqualTo("UP");
            assertThat((Integer) JsonPath.read(body, "$.components.asyncore.details.loops")).isEqualTo(1);
            // the listener and the connection of this client
            assertThat((Integer) JsonPath.read(body, "$.components.asyncore.details.channels")).isEqualTo(2);
        }
    }

    @Test
    void healthGoesDownWhenTheLoopThreadIsStopped() {
        assertThat(this.actuator.get("/actuator/health").statusCode()).isEqualTo(200);
        this.group.acceptor().eventLoop().stop();
        await().atMost(WAIT).until(() -> this.actuator.get("/actuator/health").statusCode() == 503);
        String body = this.actuator.get("/actuator/health").body();
        assertThat((String) JsonPath.read(body, "$.status")).isEqualTo("DOWN");
        assertThat((String) JsonPath.read(body, "$.components.asyncore.status")).isEqualTo("DOWN");
        assertThat((Boolean) JsonPath.read(body, "$.components.asyncore.details['asyncore-0'].running")).isFalse();
    }

    @Test
    void healthIsDownWhileTheLoopIsBlockedPastTheStallThresholdAndUpAfterwards() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        try {
            this.group.acceptor().eventLoop().execute(() -> {
                blocking.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> this.actuator.get("/actuator/health").statusCode() == 503);
            String body = this.actuator.get("/actuator/health").body();
            assertThat((String) JsonPath.read(body, "$.components.asyncore.status")).isEqualTo("DOWN");
            String loop = "$.components.asyncore.details['asyncore-0']";
            assertThat((String) JsonPath.read(body, loop + ".thread")).isEqualTo("asyncore-0");
            assertThat((String) JsonPath.read(body, loop + ".stallThreshold")).isEqualTo("PT0.2S");
            assertThat(Duration.parse(JsonPath.read(body, loop + ".stalledFor"))).isGreaterThan(Duration.ofMillis(200));
            assertThat((String) JsonPath.read(body, loop + ".since")).isNotEmpty();
        }
        finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> this.actuator.get("/actuator/health").statusCode() == 200);
        assertThat((String) JsonPath.read(this.actuator.get("/actuator/health").body(),
                "$.components.asyncore.status")).isEqualTo("UP");
    }

}
