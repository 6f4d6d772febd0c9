package io.github.asyncore.demo.fetch;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link FetchService} resolves names, with a stand-in resolver: a test may look up no name but
 * {@code localhost}, so the names here are never sent to DNS, and no fetch here connects anywhere (each is
 * refused before a connect).
 */
class FetchServiceTests {

    private final EventLoopGroup loops = new EventLoopGroup("fetch-service-test", 1);

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        this.release.countDown();
        this.loops.close();
    }

    @Test
    void aResolutionSlowerThanTheConnectTimeoutAnswersGatewayTimeout() throws Exception {
        FetchService service = service((host) -> {
            hang(); // a resolver that hangs
            return new InetAddress[] { InetAddress.getByName("203.0.113.1") };
        });
        long start = System.nanoTime();
        CompletableFuture<FetchResponse> response = service.fetch("http://slow.invalid/");
        ResponseStatusException failure = failure(response);
        assertThat(failure.getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(failure.getReason()).isEqualTo("resolving 'slow.invalid' took longer than 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        service.destroy();
    }

    @Test
    void aNameWithOneInternalAddressAmongPublicOnesIsRefused() throws Exception {
        FetchService service = service((host) -> new InetAddress[] { InetAddress.getByName("203.0.113.1"),
                InetAddress.getByName("10.0.0.7") });
        ResponseStatusException failure = failure(service.fetch("http://mixed.invalid/"));
        assertThat(failure.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(failure.getReason())
            .isEqualTo("10.0.0.7 is denied by the destination policy: private (RFC 1918) (10.0.0.0/8)"
                    + " (re-allow a range on purpose with demo.fetch.allowed-networks)");
        service.destroy();
    }

    @Test
    void aNameThatDoesNotResolveIsBadGateway() throws Exception {
        FetchService service = service((host) -> {
            throw new java.net.UnknownHostException(host);
        });
        ResponseStatusException failure = failure(service.fetch("http://nowhere.invalid/"));
        assertThat(failure.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(failure.getReason()).isEqualTo("unknown host 'nowhere.invalid'");
        service.destroy();
    }

    @Test
    void pastMaxConcurrentFetchesTheAnswerIsServiceUnavailableWithRetryAfter() throws Exception {
        FetchService service = service((host) -> {
            hang();
            throw new java.net.UnknownHostException(host);
        });
        CompletableFuture<FetchResponse> first = service.fetch("http://one.invalid/");
        CompletableFuture<FetchResponse> second = service.fetch("http://two.invalid/");
        assertThatExceptionOfType(FetchBusyException.class).isThrownBy(() -> service.fetch("http://three.invalid/"))
            .satisfies((busy) -> {
                assertThat(busy.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                assertThat(busy.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            });
        this.release.countDown();
        failure(first);
        failure(second);
        assertThat(failure(service.fetch("http://four.invalid/")).getReason()).as("permits given back")
            .isEqualTo("unknown host 'four.invalid'");
        service.destroy();
    }

    /** Blocks the resolving thread until the test releases it (bounded). */
    private void hang() {
        try {
            this.release.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private FetchService service(FetchService.HostResolver resolver) throws Exception {
        FetchProperties properties = new FetchProperties(Duration.ofMillis(300), Duration.ofSeconds(1),
                Duration.ofSeconds(2), DataSize.ofMegabytes(1), DataSize.ofKilobytes(1), 2048, null, List.of(),
                List.of(80, 443), 2);
        return new FetchService(this.loops, properties, new DefaultSslBundleRegistry(), resolver);
    }

    private static ResponseStatusException failure(CompletableFuture<FetchResponse> response) throws Exception {
        try {
            response.get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(ResponseStatusException.class);
            return (ResponseStatusException) cause;
        }
        throw new AssertionError("the fetch did not fail");
    }

}
