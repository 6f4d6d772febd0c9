package io.github.asyncore.demo.helm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.asyncore.demo.e2e.DemoTest;
import io.github.asyncore.demo.e2e.LineClient;
import io.github.asyncore.demo.echo.EchoServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric name the chart's Grafana dashboard queries is one the running demo exports on
 * {@code /actuator/prometheus}, exactly as written: a query that names {@code asyncore_bytes_read_total}
 * where Micrometer exports {@code asyncore_bytes_read_bytes_total} draws an empty panel, and nothing else
 * would notice.
 */
@DemoTest
class DashboardMetricsTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A sample line of the text exposition: its name, then labels or the value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private EchoServer echoServer;

    @Test
    void theDashboardQueriesOnlyMetricsTheDemoExports() throws Exception {
        try (LineClient client = new LineClient(this.echoServer.getLocalAddress())) {
            client.send("dashboard");
            assertThat(client.readLine()).isEqualTo("dashboard");
        }
        // the echo's bytes are counted by the time it answers; wait all the same rather than trust the order
        await().atMost(Duration.ofSeconds(10))
            .until(() -> exposition().lines()
                .anyMatch((line) -> line.startsWith("asyncore_bytes_read_bytes_total{")
                        && line.contains("dispatcher=\"echoServer\"") && !line.endsWith(" 0.0")));
        Set<String> exported = sampleNames(exposition());
        SortedSet<String> queried = Dashboard.metricNames(Dashboard.read());
        assertThat(queried).as("metric names the dashboard queries").hasSizeGreaterThanOrEqualTo(20)
            .allMatch((name) -> name.startsWith("asyncore_") || name.startsWith("jvm_") || name.startsWith("process_"));
        SortedSet<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertThat(missing).as("metric names the dashboard queries but /actuator/prometheus does not export "
                + "(queried: %s)", queried).isEmpty();
    }

    private String exposition() throws Exception {
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus"))
            .timeout(Duration.ofSeconds(10))
            .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** @return the name of every sample in a Prometheus text exposition (comments left out) */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().forEach((line) -> {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                names.add(sample.group(1));
            }
        });
        return names;
    }

}
