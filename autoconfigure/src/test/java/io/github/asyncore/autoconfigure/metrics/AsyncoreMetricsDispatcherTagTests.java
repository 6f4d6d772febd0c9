package io.github.asyncore.autoconfigure.metrics;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.autoconfigure.ActuatorClient;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code dispatcher} tag over real HTTP: two listener beans on one loop, real clients talking to each,
 * and each bean's traffic under its bean name in {@code /actuator/metrics} and {@code /actuator/prometheus}.
 */
@SpringBootTest(classes = { EchoApplication.class, AsyncoreMetricsDispatcherTagTests.OtherEchoConfiguration.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.otherEcho.address=127.0.0.1:0",
                "management.endpoints.web.exposure.include=metrics,prometheus" })
class AsyncoreMetricsDispatcherTagTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("echoServer")
    private EchoApplication.EchoServer echoServer;

    @Autowired
    @Qualifier("otherEcho")
    private EchoApplication.EchoServer otherEcho;

    @Autowired
    private MeterRegistry registry;

    @Test
    @SuppressWarnings("unchecked")
    void eachDispatcherBeanCountsUnderItsBeanName() throws Exception {
        ActuatorClient actuator = new ActuatorClient(this.port);
        try (Socket toEcho = LoopbackClients.connect(this.echoServer);
                Socket toOther = LoopbackClients.connect(this.otherEcho)) {
            LoopbackClients.echo(toEcho, LoopbackClients.pattern(1234));
            LoopbackClients.echo(toOther, LoopbackClients.pattern(56));
            LoopbackClients.echo(toOther, LoopbackClients.pattern(44));
            assertThat(measurement(actuator, "asyncore.bytes.read?tag=dispatcher:echoServer")).isEqualTo(1234);
            assertThat(measurement(actuator, "asyncore.bytes.read?tag=dispatcher:otherEcho")).isEqualTo(100);
            assertThat(measurement(actuator, "asyncore.bytes.read")).isEqualTo(1334);
            assertThat(measurement(actuator, "asyncore.bytes.read?tag=loop:asyncore-0&tag=dispatcher:otherEcho"))
                .isEqualTo(100);
            // a write is counted once the socket took it, which may be just after the client already has it
            await().atMost(WAIT)
                .until(() -> measurement(actuator, "asyncore.bytes.written?tag=dispatcher:otherEcho") == 100);
            assertThat(measurement(actuator, "asyncore.connections.accepted?tag=dispatcher:echoServer")).isEqualTo(1);
            assertThat(measurement(actuator, "asyncore.connections.accepted?tag=dispatcher:otherEcho")).isEqualTo(1);
            // each accepted connection counts under its listener's bean name, not its own (otherEcho#12)
            assertThat(measurement(actuator, "asyncore.channels?tag=dispatcher:otherEcho&tag=kind:connection"))
                .isEqualTo(1);
            assertThat(measurement(actuator, "asyncore.channels?tag=dispatcher:otherEcho&tag=kind:listener"))
                .isEqualTo(1);
            assertThat(this.registry.get("asyncore.bytes.read").tag("dispatcher", "echoServer").functionCounter()
                .count()).isEqualTo(1234);
            String body = actuator.get("/actuator/metrics/asyncore.bytes.read").body();
            assertThat((List<String>) JsonPath.read(body, "$.availableTags[?(@.tag=='dispatcher')].values[*]"))
                .containsExactlyInAnyOrder("echoServer", "otherEcho");
            assertThat(actuator.get("/actuator/metrics/asyncore.bytes.read?tag=dispatcher:nobody").statusCode())
                .isEqualTo(404);
            assertThat(actuator.get("/actuator/prometheus").body().lines()).contains(
                    "asyncore_bytes_read_bytes_total{dispatcher=\"echoServer\",loop=\"asyncore-0\"} 1234.0",
                    "asyncore_bytes_read_bytes_total{dispatcher=\"otherEcho\",loop=\"asyncore-0\"} 100.0",
                    "asyncore_channels{dispatcher=\"echoServer\",kind=\"connection\"} 1.0");
        }
    }

    private static double measurement(ActuatorClient actuator, String meterAndQuery) {
        HttpResponse<String> response = actuator.get("/actuator/metrics/" + meterAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Number value = JsonPath.read(response.body(), "$.measurements[0].value");
        return value.doubleValue();
    }

    @Configuration(proxyBeanMethods = false)
    static class OtherEchoConfiguration {

        @Bean
        EchoApplication.EchoServer otherEcho() {
            return new EchoApplication.EchoServer();
        }

    }

}
