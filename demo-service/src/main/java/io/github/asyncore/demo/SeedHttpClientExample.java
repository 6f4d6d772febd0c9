package io.github.asyncore.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import io.github.asyncore.core.ChannelMap;

/**
 * Runs the seed's HTTP client. With a URL argument ({@code http://host:port/path}) it fetches that;
 * without one it starts the JDK's built-in HTTP server on a free loopback port, fetches a page from it
 * and stops it, so that the example works on a machine without network.
 */
public final class SeedHttpClientExample {

    static final String PAGE = "<html><body><h1>Hello from asyncore on Java NIO</h1></body></html>\n";

    private SeedHttpClientExample() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            fetch(URI.create(args[0]), System.out);
        }
        else {
            fetchFromLocalServer(System.out);
        }
    }

    /**
     * Fetches a URL with the seed's client and copies the raw response to {@code out}.
     * @param url an {@code http} URL
     * @param out where the response goes
     * @throws IOException when the connect fails at once
     */
    static void fetch(URI url, PrintStream out) throws IOException {
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("Expected a URL like http://host:port/path, got " + url);
        }
        int port = (url.getPort() != -1) ? url.getPort() : 80;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath();
        try (ChannelMap map = new ChannelMap("seed")) {
            new HttpClient(url.getHost(), port, path, out, map);
            map.eventLoop().loop(Duration.ofSeconds(30));
        }
        out.flush();
    }

    /**
     * Starts the JDK's HTTP server on 127.0.0.1 (any free port), fetches {@code /} from it, and stops it.
     * @param out where the response goes
     * @throws IOException when the server cannot start
     */
    static void fetchFromLocalServer(PrintStream out) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (exchange) -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            out.println("# GET " + url + " with the seed's asyncore client");
            fetch(url, out);
        }
        finally {
            server.stop(0);
        }
    }

}
