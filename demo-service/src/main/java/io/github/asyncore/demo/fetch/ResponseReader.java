package io.github.asyncore.demo.fetch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reads an HTTP/1.x response as it arrives, holding kilobytes whatever the server sends: the status line and
 * headers (at most {@value #MAX_HEADERS} headers and {@value #MAX_HEAD_BYTES} bytes in all, Tomcat's limits;
 * past them the fetch fails with 502), the first bytes of the body for the preview, and a count of the
 * rest. Each byte is looked at a bounded number of times, so a hostile server cannot make parsing stall the
 * loop. Loop thread only.
 */
final class ResponseReader {

    static final int MAX_HEAD_BYTES = 8 * 1024;

    static final int MAX_HEADERS = 100;

    private final String server;

    private final int previewSize;

    private final long maxResponseSize;

    private final byte[] head = new byte[MAX_HEAD_BYTES];

    private int headLength;

    /** Where the search for the blank line that ends the head goes on. */
    private int searchedTo;

    private FetchResponse.Head parsedHead;

    private final byte[] preview;

    private int previewLength;

    private long bodySize;

    /**
     * @param server the server, for messages
     * @param previewSize how many bytes of the body to keep
     * @param maxResponseSize the most bytes the whole response may have
     */
    ResponseReader(String server, int previewSize, long maxResponseSize) {
        this.server = server;
        this.previewSize = previewSize;
        this.maxResponseSize = maxResponseSize;
        this.preview = new byte[previewSize];
    }

    /**
     * Takes the next bytes of the response.
     * @param data the bytes, consumed
     * @throws ResponseStatusException 502 when the head is too large or not HTTP, or the response too long
     */
    void feed(ByteBuffer data) {
        if (this.parsedHead == null) {
            int count = Math.min(data.remaining(), MAX_HEAD_BYTES - this.headLength);
            data.get(this.head, this.headLength, count);
            this.headLength += count;
            int end = endOfHead();
            if (end < 0) {
                if (this.headLength == MAX_HEAD_BYTES) {
                    throw badGateway(this.server + " sent response headers of more than " + MAX_HEAD_BYTES
                            + " bytes; the response was cut off");
                }
                return;
            }
            this.parsedHead = parseHead(end);
            body(ByteBuffer.wrap(this.head, end + 4, this.headLength - end - 4));
        }
        body(data);
    }

    /**
     * The server closed the connection: the response is complete.
     * @param url the URL fetched
     * @return the response
     * @throws ResponseStatusException 502 when the server closed before the end of the headers
     */
    FetchResponse finish(String url) {
        if (this.parsedHead == null) {
            throw badGateway("the server closed the connection before the end of the response headers ("
                    + this.headLength + " bytes received)");
        }
        return new FetchResponse(url, this.parsedHead.status(), this.parsedHead.statusCode(), this.parsedHead.headers(),
                this.bodySize, new String(this.preview, 0, this.previewLength, StandardCharsets.UTF_8),
                this.previewLength < this.bodySize);
    }

    private void body(ByteBuffer data) {
        int count = data.remaining();
        int kept = Math.min(count, this.previewSize - this.previewLength);
        data.get(this.preview, this.previewLength, kept);
        this.previewLength += kept;
        data.position(data.limit());
        this.bodySize += count;
        if (this.headLength + this.bodySize > this.maxResponseSize) {
            throw badGateway(this.server + " sent more than " + this.maxResponseSize
                    + " bytes; the response was cut off");
        }
    }

    /** @return the index of the blank line's CR LF CR LF, or -1; searches each byte once */
    private int endOfHead() {
        for (int i = Math.max(0, this.searchedTo - 3); i + 3 < this.headLength; i++) {
            if (this.head[i] == '\r' && this.head[i + 1] == '\n' && this.head[i + 2] == '\r' && this.head[i + 3] == '\n') {
                return i;
            }
        }
        this.searchedTo = this.headLength;
        return -1;
    }

    private FetchResponse.Head parseHead(int end) {
        String[] lines = new String(this.head, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String status = lines[0];
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
            throw badGateway("the server's answer is not HTTP: '" + abbreviate(status) + "'");
        }
        if (lines.length - 1 > MAX_HEADERS) {
            throw badGateway(this.server + " sent " + (lines.length - 1) + " response headers; at most " + MAX_HEADERS
                    + " are read");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip(),
                        (first, next) -> first + ", " + next);
            }
        }
        return new FetchResponse.Head(status, Integer.parseInt(parts[1]), headers);
    }

    private static String abbreviate(String text) {
        return (text.length() <= 80) ? text : text.substring(0, 80) + "...";
    }

    private static ResponseStatusException badGateway(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_GATEWAY, reason);
    }

}
