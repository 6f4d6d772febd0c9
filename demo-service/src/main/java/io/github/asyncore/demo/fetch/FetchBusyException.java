package io.github.asyncore.demo.fetch;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** 503 with {@code Retry-After}: {@code demo.fetch.max-concurrent} fetches are in flight already. */
final class FetchBusyException extends ResponseStatusException {

    private static final long serialVersionUID = 1L;

    private static final HttpHeaders RETRY_AFTER = HttpHeaders.readOnlyHttpHeaders(retryAfter());

    FetchBusyException(int maxConcurrent) {
        super(HttpStatus.SERVICE_UNAVAILABLE, maxConcurrent + " fetches are in flight, the most "
                + "demo.fetch.max-concurrent allows; try again in a second");
    }

    @Override
    public HttpHeaders getHeaders() {
        return RETRY_AFTER;
    }

    private static HttpHeaders retryAfter() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return headers;
    }

}
