package io.github.asyncore.autoconfigure.health;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.autoconfigure.ActuatorClient;
import io.github.asyncore.autoconfigure.EchoApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** With availability probes switched off there is no liveness group, and the contributor is still there. */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-components=always",
                "management.endpoint.health.probes.enabled=false" })
class AsyncoreWithoutProbesTests {

    @LocalServerPort
    private int port;

    @Test
    void noLivenessGroupButTheContributorIsUp() {
        ActuatorClient actuator = new ActuatorClient(this.port);
        assertThat(actuator.get("/actuator/health/liveness").statusCode()).isEqualTo(404);
        String health = actuator.get("/actuator/health").body();
        assertThat((String) JsonPath.read(health, "$.components.asyncore.status")).isEqualTo("UP");
    }

}
