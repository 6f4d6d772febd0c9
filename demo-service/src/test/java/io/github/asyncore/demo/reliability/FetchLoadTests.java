package io.github.asyncore.demo.reliability;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import io.github.asyncore.demo.soak.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.github.asyncore.demo.reliability.ProcessProbe.MEBIBYTE;
import static io.github.asyncore.demo.reliability.ProcessProbe.mebibytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hundred parallel {@code GET /fetch} of a 1 MB page against the demo in a JVM of its own with the heap a
 * pod gets ({@code -Xmx256m}): at most {@code demo.fetch.max-concurrent} (16) run at once, the rest are told
 * to come back (503 with {@code Retry-After}), nothing fails otherwise, and because a fetch keeps only its
 * headers and the first KiB of the body, the heap stays small.
 */
class FetchLoadTests {

    private static final Logger logger = LoggerFactory.getLogger(FetchLoadTests.class);

    private static final int FETCHES = 100;

    private static final int PAGE = 1_000_000;

    /**
     * The most heap in use (garbage included) during the burst. Before fetches were bounded, 150 of them at
     * once exhausted 256 MiB; bounded, each holds kilobytes, and what is left is Tomcat's and the JSON's
     * garbage for the 100 answers.
     */
    private static final long HEAP_IN_USE_BOUND = 96 * MEBIBYTE;

    private static final long HEAP_SLACK = 16 * MEBIBYTE;

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    private final ExecutorService upstreamThreads = Executors.newFixedThreadPool(32);

    private HttpServer upstream;

    private DemoServer server;

    @AfterEach
    void stop() throws Exception {
        this.sampler.shutdownNow();
        if (this.upstream != null) {
            this.upstream.stop(0);
        }
        this.upstreamThreads.shutdownNow();
        if (this.server != null) {
            this.server.close();
        }
    }

    @Test
    void aHundredParallelFetchesOfAMegabytePageAreBoundedAndHoldLittleHeap(@TempDir Path directory) throws Exception {
        byte[] page = new byte[PAGE];
        java.util.Arrays.fill(page, (byte) 'x');
        this.upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        this.upstream.setExecutor(this.upstreamThreads);
        this.upstream.createContext("/page", (exchange) -> {
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        this.upstream.start();
        this.server = DemoServer.start(directory, List.of("-Xms64m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--demo.fetch.allowed-networks=127.0.0.0/8", "--demo.fetch.allowed-ports="));
        this.server.gc();
        long heapBefore = (long) this.server.metric("jvm.memory.used", "area:heap");

        AtomicLong peakHeap = new AtomicLong();
        this.sampler.scheduleAtFixedRate(() -> {
            try {
                peakHeap.accumulateAndGet((long) this.server.metric("jvm.memory.used", "area:heap"), Math::max);
            }
            catch (Exception ex) {
                // a sample lost to a busy moment; the next one counts
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String url = "http://127.0.0.1:" + this.upstream.getAddress().getPort() + "/page";
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.server.ports().web() + "/fetch?url="
                    + URLEncoder.encode(url, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(60))
            .build();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < FETCHES; i++) {
            responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        int fetched = 0;
        int busy = 0;
        for (CompletableFuture<HttpResponse<String>> pending : responses) {
            HttpResponse<String> response = pending.get(90, TimeUnit.SECONDS);
            if (response.statusCode() == 503) {
                busy++;
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat((String) JsonPath.read(response.body(), "$.detail"))
                    .contains("fetches are in flight, the most demo.fetch.max-concurrent allows");
            }
            else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(((Number) JsonPath.read(response.body(), "$.bodySize")).longValue()).isEqualTo(PAGE);
                assertThat((String) JsonPath.read(response.body(), "$.body")).hasSize(1024);
                fetched++;
            }
        }
        this.sampler.shutdownNow();
        assertThat(busy).as("fetches told to come back").isPositive();
        assertThat(fetched).as("fetches answered in full").isGreaterThanOrEqualTo(16);
        assertThat(peakHeap.get()).as("most heap in use during the burst").isLessThan(HEAP_IN_USE_BOUND);
        this.server.gc();
        long heapAfter = (long) this.server.metric("jvm.memory.used", "area:heap");
        assertThat(heapAfter).as("heap after GC, against %s before", mebibytes(heapBefore))
            .isLessThan(heapBefore + HEAP_SLACK);
        assertThat(this.server.isAlive()).isTrue();
        assertThat(this.server.health()).isEqualTo("UP");
        logger.info("fetch load: {} parallel fetches of a {}-byte page: {} answered, {} told to come back (503); heap in"
                + " use at most {}; after GC {} -> {}", FETCHES, PAGE, fetched, busy, mebibytes(peakHeap.get()),
                mebibytes(heapBefore), mebibytes(heapAfter));
    }

}
