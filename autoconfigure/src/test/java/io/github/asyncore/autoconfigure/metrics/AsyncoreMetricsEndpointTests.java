package io.github.asyncore.autoconfigure.metrics;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.autoconfigure.ActuatorClient;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/metrics} and {@code /actuator/prometheus} over real HTTP, while real clients talk to
 * a real echo listener. Only {@link #metersFollowEchoTraffic()} makes socket traffic, so its counts are
 * exact.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "management.endpoints.web.exposure.include=health,metrics,prometheus" })
class AsyncoreMetricsEndpointTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final int SIZE = 1234;

    @LocalServerPort
    private int port;

    @Autowired
    private EchoApplication.EchoServer echoServer;

    private ActuatorClient actuator;

    @BeforeEach
    void createClient() {
        this.actuator = new ActuatorClient(this.port);
    }

    @Test
    void metersFollowEchoTraffic() throws Exception {
        assertThat(measurement("asyncore.bytes.read")).isZero();
        assertThat(measurement("asyncore.connections.accepted")).isZero();
        assertThat(measurement("asyncore.channels?tag=kind:connection")).isZero();
        try (Socket client = LoopbackClients.connect(this.echoServer)) {
            LoopbackClients.echo(client, LoopbackClients.pattern(SIZE));
            assertThat(measurement("asyncore.bytes.read")).isEqualTo(SIZE);
            assertThat(measurement("asyncore.bytes.read?tag=loop:asyncore-0")).isEqualTo(SIZE);
            // a write is counted once the socket took it, which may be just after the client already has it
            await().atMost(WAIT).until(() -> measurement("asyncore.bytes.written") == SIZE);
            assertThat(measurement("asyncore.connections.accepted")).isEqualTo(1);
            assertThat(measurement("asyncore.channels?tag=kind:connection")).isEqualTo(1);
            assertThat(measurement("asyncore.channels?tag=kind:listener")).isEqualTo(1);
            await().atMost(WAIT).until(() -> measurement("asyncore.handler.duration") > 0);
            try (Socket second = LoopbackClients.connect(this.echoServer)) {
                LoopbackClients.echo(second, LoopbackClients.pattern(1));
                assertThat(measurement("asyncore.connections.accepted")).isEqualTo(2);
                assertThat(measurement("asyncore.channels?tag=kind:connection")).isEqualTo(2);
                assertThat(measurement("asyncore.bytes.read")).isEqualTo(SIZE + 1);
            }
        }
        await().atMost(WAIT).until(() -> measurement("asyncore.channels?tag=kind:connection") == 0);
        assertThat(measurement("asyncore.connections.accepted")).isEqualTo(2);
        assertThat(measurement("asyncore.bytes.read")).isEqualTo(SIZE + 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void metricsEndpointDescribesTheMeters() {
        HttpResponse<String> response = this.actuator.get("/actuator/metrics/asyncore.bytes.read");
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat((String) JsonPath.read(body, "$.baseUnit")).isEqualTo("bytes");
        assertThat((String) JsonPath.read(body, "$.description")).isEqualTo("Bytes read by the loop's channels");
        assertThat((List<String>) JsonPath.read(body, "$.availableTags[?(@.tag=='loop')].values[*]"))
            .containsExactly("asyncore-0");
        assertThat((List<String>) JsonPath.read(body, "$.availableTags[?(@.tag=='dispatcher')].values[*]"))
            .containsExactly("echoServer");
        String timeouts = this.actuator.get("/actuator/metrics/asyncore.timeouts").body();
        assertThat((List<String>) JsonPath.read(timeouts, "$.availableTags[?(@.tag=='type')].values[*]"))
            .containsExactlyInAnyOrder("idle", "connect");
        List<String> names = JsonPath.read(this.actuator.get("/actuator/metrics").body(), "$.names");
        assertThat(names).contains("asyncore.channels", "asyncore.bytes.read", "asyncore.bytes.written",
                "asyncore.connections.accepted", "asyncore.connections.rejected", "asyncore.connections.refused",
                "asyncore.handler.errors", "asyncore.timeouts", "asyncore.loop.stalls", "asyncore.handler.duration");
    }

    @Test
    void prometheusShowsTheMeters() {
        HttpResponse<String> response = this.actuator.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        // the names the Prometheus registry really gives the meters (counters end in _total, units appended)
        assertThat(response.body().lines()).contains("# TYPE asyncore_bytes_read_bytes_total counter",
                "# TYPE asyncore_bytes_written_bytes_total counter",
                "# TYPE asyncore_connections_accepted_total counter",
                "# TYPE asyncore_connections_rejected_total counter",
                "# TYPE asyncore_connections_refused_total counter",
                "# TYPE asyncore_handler_errors_total counter", "# TYPE asyncore_loop_stalls_total counter",
                "# TYPE asyncore_timeouts_total counter", "# TYPE asyncore_channels gauge",
                "# TYPE asyncore_handler_duration_seconds summary",
                "asyncore_channels{dispatcher=\"echoServer\",kind=\"listener\"} 1.0",
                "asyncore_timeouts_total{dispatcher=\"echoServer\",loop=\"asyncore-0\",type=\"idle\"} 0.0",
                "asyncore_timeouts_total{dispatcher=\"echoServer\",loop=\"asyncore-0\",type=\"connect\"} 0.0");
        assertThat(response.body().lines()).anyMatch((line) -> line.startsWith(
                "asyncore_bytes_read_bytes_total{dispatcher=\"echoServer\",loop=\"asyncore-0\"} "))
            .anyMatch((line) -> line.startsWith("asyncore_handler_duration_seconds_count{loop=\"asyncore-0\"} "))
            .anyMatch((line) -> line.startsWith("asyncore_handler_duration_seconds_sum{loop=\"asyncore-0\"} "));
    }

    private double measurement(String meterAndQuery) {
        HttpResponse<String> response = this.actuator.get("/actuator/metrics/" + meterAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Number value = JsonPath.read(response.body(), "$.measurements[0].value");
        return value.doubleValue();
    }

}
