package io.github.asyncore.demo.fetch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

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
public record FetchResponse(String url, String status, int statusCode, Map<String, String> headers, int bodySize,
        String body, boolean bodyTruncated) {

    private static final byte[] END_OF_HEADERS = { '\r', '\n', '\r', '\n' };

    /**
     * Reads a raw HTTP/1.x response.
     * @throws ResponseStatusException 502 when it is not one
     */
    static FetchResponse parse(String url, byte[] response, int bodyPreview) {
        int end = indexOf(response, END_OF_HEADERS);
        if (end < 0) {
            throw badGateway("the server closed the connection before the end of the response headers ("
                    + response.length + " bytes received)");
        }
        String[] lines = new String(response, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String status = lines[0];
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
            throw badGateway("the server's answer is not HTTP: '" + abbreviate(status) + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip(),
                        (first, next) -> first + ", " + next);
            }
        }
        int bodyStart = end + END_OF_HEADERS.length;
        int bodySize = response.length - bodyStart;
        int shown = Math.min(bodySize, bodyPreview);
        String body = new String(Arrays.copyOfRange(response, bodyStart, bodyStart + shown), StandardCharsets.UTF_8);
        return new FetchResponse(url, status, Integer.parseInt(parts[1]), headers, bodySize, body, shown < bodySize);
    }

    private static int indexOf(byte[] data, byte[] target) {
        outer: for (int i = 0; i <= data.length - target.length; i++) {
            for (int j = 0; j < target.length; j++) {
                if (data[i + j] != target[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String abbreviate(String text) {
        return (text.length() <= 80) ? text : text.substring(0, 80) + "...";
    }

    private static ResponseStatusException badGateway(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_GATEWAY, reason);
    }

}
