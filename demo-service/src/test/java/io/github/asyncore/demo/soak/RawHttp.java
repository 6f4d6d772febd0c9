package io.github.asyncore.demo.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A GET over a fresh loopback connection with {@code Connection: close}: one request, one connection,
 * closed when the answer is read, so that the server's descriptors do not depend on a client's
 * connection pool. Reads at most {@link #MAX_RESPONSE} bytes, each read bounded by a timeout and the
 * whole exchange by a deadline.
 */
final class RawHttp {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int MAX_RESPONSE = 4 * 1024 * 1024;

    private RawHttp() {
    }

    record Response(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return this.headers.get(name.toLowerCase(Locale.ROOT));
        }

    }

    /**
     * @param target the request target, for example {@code /fetch?url=...}; sent as it is
     * @param timeout the longest the whole exchange may take
     */
    static Response get(int port, String target, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 5_000);
            socket.getOutputStream()
                .write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no complete answer to GET " + abbreviate(target) + " within "
                            + timeout.toMillis() + " ms (" + raw.size() + " bytes read)");
                }
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                raw.write(buffer, 0, read);
                if (raw.size() > MAX_RESPONSE) {
                    throw new IOException("answer to GET " + abbreviate(target) + " longer than " + MAX_RESPONSE);
                }
            }
            return parse(raw.toByteArray());
        }
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("answer without the end of its headers (" + raw.length + " bytes)");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: '" + abbreviate(lines[0]) + "'");
        }
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (body.length != length) {
                throw new IOException("Content-Length " + length + " but " + body.length + " bytes of body");
            }
        }
        return new Response(Integer.parseInt(status[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int position = 0;
        while (true) {
            int lineEnd = indexOfCrLf(chunked, position);
            if (lineEnd < 0) {
                throw new IOException("chunked body cut off at " + position);
            }
            String size = new String(chunked, position, lineEnd - position, StandardCharsets.ISO_8859_1);
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon >= 0) ? size.substring(0, semicolon).strip() : size.strip(), 16);
            position = lineEnd + 2;
            if (length == 0) {
                return body.toByteArray();
            }
            if (position + length + 2 > chunked.length) {
                throw new IOException("chunk of " + length + " bytes cut off at " + position);
            }
            body.write(chunked, position, length);
            position += length + 2;
        }
    }

    private static int indexOfCrLf(byte[] data, int from) {
        for (int i = from; i < data.length - 1; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static String abbreviate(String text) {
        return (text.length() <= 100) ? text : text.substring(0, 100) + "...(" + text.length() + " chars)";
    }

}
