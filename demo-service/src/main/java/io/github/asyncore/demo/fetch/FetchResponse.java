package io.github.asyncore.demo.fetch;

import java.util.Map;

/**
 * What {@code GET /fetch} answers: the server's status line and headers, how long its body was, and the
 * first part of the body.
 *
 * @param url the URL fetched
 * @param status the status line, for example {@code HTTP/1.1 200 OK}
 * @param statusCode the status code from it
 * @param headers the response headers (repeated names joined with ", ")
 * @param bodySize the body's length in bytes
 * @param body the first {@code demo.fetch.body-preview} bytes of the body, as UTF-8 text
 * @param bodyTruncated whether the body is longer than what {@code body} shows
 */
public record FetchResponse(String url, String status, int statusCode, Map<String, String> headers, long bodySize,
        String body, boolean bodyTruncated) {

    /** The status line and headers, once read. */
    record Head(String status, int statusCode, Map<String, String> headers) {
    }

}
