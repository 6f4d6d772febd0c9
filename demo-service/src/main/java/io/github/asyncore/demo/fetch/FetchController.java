package io.github.asyncore.demo.fetch;

import java.util.concurrent.CompletableFuture;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /fetch?url=http://host:port/path}: fetches the URL with the seed's asyncore HTTP client
 * and answers JSON with the status line, headers, body size and the first part of the body. Errors are
 * problem details ({@code application/problem+json}) whose {@code detail} says what went wrong: 400 for
 * a missing, malformed, non-http or over-long URL; 403 for a destination the policy denies (internal
 * addresses, ports not allowed), before any connect; 502 when the server cannot be reached or does not
 * answer HTTP, or its headers or response are too large; 503 (with {@code Retry-After}) when
 * {@code demo.fetch.max-concurrent} fetches are in flight; 504 when resolving, connecting or the server is
 * too slow. The request thread is released while the loop works.
 */
@RestController
public class FetchController {

    private final FetchService fetchService;

    public FetchController(FetchService fetchService) {
        this.fetchService = fetchService;
    }

    @GetMapping("/fetch")
    public CompletableFuture<FetchResponse> fetch(@RequestParam(required = false) String url) {
        return this.fetchService.fetch(url);
    }

}
