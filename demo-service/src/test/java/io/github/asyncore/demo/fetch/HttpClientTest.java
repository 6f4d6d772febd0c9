package io.github.asyncore.demo.fetch;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import io.github.asyncore.core.ChannelMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The seed's HTTP client, fetching from the JDK's built-in HTTP server on loopback. */
class HttpClientTest {

    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.server.createContext("/greeting", (exchange) -> {
            byte[] body = ("hello " + exchange.getRequestMethod() + " " + exchange.getProtocol() + " "
                    + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        this.server.start();
    }

    @AfterEach
    void stopServer() {
        this.server.stop(0);
    }

    @Test
    void fetchesAPageAndTheLoopReturnsWhenTheServerCloses() {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        ChannelMap map = new ChannelMap("seed-test");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            new HttpClient(new InetSocketAddress("127.0.0.1", this.server.getAddress().getPort()), "/greeting",
                    response, map);
            map.eventLoop().loop(Duration.ofSeconds(5));
        });
        String text = response.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(text).as("the Host header names the port, which is not 80")
            .endsWith("\r\n\r\nhello GET HTTP/1.0 127.0.0.1:" + this.server.getAddress().getPort());
        assertThat(map.isEmpty()).isTrue();
        map.close();
    }

    @Test
    void theHostHeaderNamesThePortUnlessItIsTheSchemesAndBracketsIpv6() {
        assertThat(HttpClient.hostHeader("example.com", 80, 80)).isEqualTo("example.com");
        assertThat(HttpClient.hostHeader("example.com", 8080, 80)).isEqualTo("example.com:8080");
        assertThat(HttpClient.hostHeader("::1", 443, 443)).isEqualTo("[::1]");
        assertThat(HttpClient.hostHeader("[::1]", 8443, 443)).isEqualTo("[::1]:8443");
        assertThat(HttpClient.hostHeader("127.0.0.1", 443, 80)).isEqualTo("127.0.0.1:443");
    }

}
