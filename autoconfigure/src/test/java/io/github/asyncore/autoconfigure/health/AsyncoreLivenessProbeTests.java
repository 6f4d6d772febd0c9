package io.github.asyncore.autoconfigure.health;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.autoconfigure.ActuatorClient;
import io.github.asyncore.autoconfigure.EchoApplication;
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
 * The liveness probe over real HTTP: {@code /actuator/health/liveness} and Boot's additional
 * {@code /livez} path follow the {@code asyncore} contributor; readiness does not.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.probes.add-additional-paths=true" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class AsyncoreLivenessProbeTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    private int port;

    @Autowired
    private EventLoopGroup group;

    private ActuatorClient actuator;

    @BeforeEach
    void createClient() {
        this.actuator = new ActuatorClient(this.port);
    }

    @Test
    void livenessIsUpWhileTheLoopRuns() {
        assertThat(this.actuator.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(this.actuator.get("/actuator/health/liveness").body(), "$.status"))
            .isEqualTo("UP");
        assertThat(this.actuator.get("/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void livenessGoesDownWhenTheLoopStopsAndReadinessDoesNot() {
        this.group.acceptor().eventLoop().stop();
        await().atMost(WAIT).until(() -> this.actuator.get("/actuator/health/liveness").statusCode() == 503);
        assertThat((String) JsonPath.read(this.actuator.get("/actuator/health/liveness").body(), "$.status"))
            .isEqualTo("DOWN");
        assertThat(this.actuator.get("/livez").statusCode()).isEqualTo(503);
        assertThat(this.actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(this.actuator.get("/readyz").statusCode()).isEqualTo(200);
    }

}
