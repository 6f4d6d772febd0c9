package io.github.asyncore.demo.reliability;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.github.asyncore.demo.echo.EchoServer;
import io.github.asyncore.demo.reliability.EchoClient.Latencies;
import io.github.asyncore.demo.reliability.HostileHttpServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /fetch} against hostile servers: one that sends headers without end as fast as it can (a header
 * bomb) is cut off once its headers pass 8 KiB, with 502 within a second; one that sends more than 100
 * headers is refused with 502; one that trickles a header byte every 200 ms, never silent long enough for
 * the 1 s read timeout, is cut off at the 2 s total timeout with 504. The fetches run on the loop that serves
 * the echo port, which answers promptly meanwhile (worst round trip under 100 ms, no stall).
 */
@ReliabilityTest
@TestPropertySource(properties = { "demo.fetch.connect-timeout=1s", "demo.fetch.read-timeout=1s",
        "demo.fetch.total-timeout=2s", "demo.fetch.max-response-size=256KB" })
class HostileFetchTests {

    private static final Logger logger = LoggerFactory.getLogger(HostileFetchTests.class);

    private static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration TRICKLE_PERIOD = Duration.ofMillis(200);

    /** How late a cut-off may come on a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private static final Duration LATENCY_FLOOR = Duration.ofMillis(20);

    private static final int ROUND_TRIPS = 200;

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int webPort;

    @Autowired
    private EchoServer echoServer;

    @Autowired
    private EventLoopGroup loops;

    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void closeServers() throws Exception {
        for (AutoCloseable server : this.servers) {
            server.close();
        }
    }

    @Test
    void aHeaderBombIsCutOffAtEightKibibytesOfHeadersWithBadGatewayWithinASecond() throws Exception {
        HostileHttpServer endless = start(HostileHttpServer.endlessHeaders());
        long start = System.nanoTime();
        HttpResponse<String> response = fetch(endless.url()).get(20, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertProblem(response, 502, "sent response headers of more than 8192 bytes; the response was cut off");
        Answer answer = cutOff(endless);
        assertThat(answer.request.get()).startsWith("GET /hostile HTTP/1.0\r\n");
        assertThat(answer.sent.get()).as("bytes the server sent before the client cut it off")
            .isGreaterThan(8192)
            .isLessThan(HostileHttpServer.ENDLESS_CAP);
        assertThat(took).as("time to the 502").isLessThan(Duration.ofSeconds(1));
        logger.info("hostile fetch: endless headers cut off after the server sent {} bytes, 502 after {} ms",
                answer.sent.get(), took.toMillis());
    }

    @Test
    void headersTrickledFasterThanTheReadTimeoutAreCutOffAtTheTotalTimeoutWithGatewayTimeout() throws Exception {
        HostileHttpServer trickle = start(HostileHttpServer.tricklingHeaders(TRICKLE_PERIOD));
        long start = System.nanoTime();
        HttpResponse<String> response = fetch(trickle.url()).get(20, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertProblem(response, 504, "did not complete its response within " + TOTAL_TIMEOUT.toMillis() + " ms");
        assertThat(took).as("time to the 504").isBetween(TOTAL_TIMEOUT.minusMillis(100), TOTAL_TIMEOUT.plus(SLACK));
        Answer answer = cutOff(trickle);
        // bytes kept coming, so the 1 s read timeout never fired: the total timeout cut it off
        assertThat(answer.sent.get()).as("header bytes trickled").isGreaterThanOrEqualTo(3)
            .isLessThan(HostileHttpServer.TRICKLE_CAP);
        logger.info("hostile fetch: trickled headers ({} bytes) cut off, 504 after {} ms", answer.sent.get(),
                took.toMillis());
    }

    @Test
    void theEchoPortAnswersPromptlyWhileHostileServersAreFetched() throws Exception {
        HostileHttpServer endless = start(HostileHttpServer.endlessHeaders());
        HostileHttpServer trickle = start(HostileHttpServer.tricklingHeaders(TRICKLE_PERIOD));
        try (EchoClient echo = new EchoClient(EchoClient.port(this.echoServer))) {
            echo.roundTrips(50); // warm-up, not measured
            Latencies baseline = echo.roundTrips(ROUND_TRIPS);
            long stallsBefore = stalls();

            CompletableFuture<HttpResponse<String>> trickled = fetch(trickle.url());
            // endless headers, one fetch after another, for as long as the trickled one runs (at most 20)
            CompletableFuture<List<HttpResponse<String>>> floods = CompletableFuture.supplyAsync(() -> {
                List<HttpResponse<String>> responses = new ArrayList<>();
                while (!trickled.isDone() && responses.size() < 20) {
                    responses.add(fetch(endless.url()).join());
                }
                return responses;
            });
            Latencies meanwhile = echo.roundTrips(ROUND_TRIPS);
            boolean overlapped = !trickled.isDone();
            Duration bound = Latencies.bound(baseline, LATENCY_FLOOR);
            logger.info("hostile fetch: echo baseline {}; while fetching hostile servers {}; bound {} ms", baseline,
                    meanwhile, bound.toMillis());
            assertThat(overlapped).as("the trickled fetch still running after the round trips").isTrue();
            assertThat(meanwhile.p99()).as("p99 echo round trip while hostile servers are fetched; baseline %s",
                    baseline).isLessThanOrEqualTo(bound);
            assertThat(meanwhile.max()).as("worst echo round trip while hostile servers are fetched")
                .isLessThan(Duration.ofMillis(100));
            assertThat(stalls()).as("loop stalls while hostile servers are fetched").isEqualTo(stallsBefore);

            assertProblem(trickled.get(20, TimeUnit.SECONDS), 504, "did not complete its response within");
            List<HttpResponse<String>> flooded = floods.get(20, TimeUnit.SECONDS);
            assertThat(flooded).as("endless-header fetches during the trickled one").isNotEmpty();
            for (HttpResponse<String> response : flooded) {
                assertProblem(response, 502, "the response was cut off");
            }
            await("every endless answer cut off").atMost(SLACK)
                .until(() -> endless.answers().size() == flooded.size()
                        && endless.answers().stream().allMatch(Answer::wasCutOff));
            logger.info("hostile fetch: {} endless-header fetches cut off while the trickled one ran", flooded.size());
        }
    }

    @Test
    void moreThanAHundredHeadersAreRefusedWithBadGateway() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<HttpResponse<String>> response = fetch("http://127.0.0.1:" + upstream.getLocalPort() + "/");
            try (Socket socket = upstream.accept()) {
                socket.getInputStream().read(new byte[1024]); // the request
                socket.getOutputStream().write(("HTTP/1.1 200 OK\r\n" + "a: b\r\n".repeat(101) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                assertProblem(response.get(20, TimeUnit.SECONDS), 502, "sent 101 response headers; at most 100 are read");
            }
        }
    }

    private long stalls() {
        return this.loops.loopSnapshots().stream().mapToLong(LoopSnapshot::stalls).sum();
    }

    private HostileHttpServer start(HostileHttpServer server) {
        this.servers.add(server);
        return server;
    }

    /** @return the server's one answer, once the client has cut it off (bounded wait) */
    private static Answer cutOff(HostileHttpServer server) {
        await("the hostile answer cut off by the client").atMost(SLACK)
            .until(() -> server.answers().size() == 1 && server.answers().get(0).ended.isDone());
        assertThat(server.answers()).hasSize(1);
        Answer answer = server.answers().get(0);
        assertThat(answer.wasCutOff()).as("the client closed the connection while the server was sending").isTrue();
        return answer;
    }

    private CompletableFuture<HttpResponse<String>> fetch(String url) {
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.webPort + "/fetch?url="
                    + URLEncoder.encode(url, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(20))
            .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat((String) JsonPath.read(response.body(), "$.detail")).contains(detail);
    }

}
