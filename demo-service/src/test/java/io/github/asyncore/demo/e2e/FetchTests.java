package io.github.asyncore.demo.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /fetch} of the running demo against real local servers: a JDK HTTP server, and sockets that
 * refuse, stay silent, never accept, or answer something that is not HTTP.
 */
@DemoTest
class FetchTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int webPort;

    private HttpServer server;

    private final List<AutoCloseable> peers = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.server.createContext("/page", (exchange) -> {
            byte[] body = "<h1>fetched through asyncore</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        this.server.createContext("/big", (exchange) -> {
            byte[] body = new byte[100 * 1024];
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        this.server.start();
    }

    @AfterEach
    void stopServers() throws Exception {
        this.server.stop(0);
        for (AutoCloseable peer : this.peers) {
            peer.close();
        }
    }

    @Test
    void fetchesAPageAndAnswersItsStatusHeadersAndBody() throws Exception {
        String url = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/page?x=1";
        HttpResponse<String> response = fetch(url);
        assertThat(response.statusCode()).isEqualTo(200);
        String json = response.body();
        assertThat((String) JsonPath.read(json, "$.url")).isEqualTo(url);
        assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("HTTP/1.1 200 OK");
        assertThat((Integer) JsonPath.read(json, "$.statusCode")).isEqualTo(200);
        assertThat((String) JsonPath.read(json, "$.headers.Content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat((Integer) JsonPath.read(json, "$.bodySize")).isEqualTo(33);
        assertThat((String) JsonPath.read(json, "$.body")).isEqualTo("<h1>fetched through asyncore</h1>");
        assertThat((Boolean) JsonPath.read(json, "$.bodyTruncated")).isFalse();
    }

    @Test
    void aMissingUrlIsABadRequest() throws Exception {
        assertProblem(get("/fetch"), 400, "the parameter 'url' is missing");
    }

    @Test
    void aMalformedUrlIsABadRequest() throws Exception {
        assertProblem(fetch("http://exa mple.com/"), 400, "malformed URL");
    }

    @Test
    void anotherSchemeIsABadRequest() throws Exception {
        assertProblem(fetch("ftp://127.0.0.1/file"), 400, "only http:// and https:// URLs can be fetched, not 'ftp'");
        assertProblem(fetch("file:///etc/passwd"), 400, "only http:// and https:// URLs can be fetched, not 'file'");
    }

    @Test
    void credentialsInTheUrlAreABadRequest() throws Exception {
        assertProblem(fetch("http://user:secret@127.0.0.1:1/"), 400, "URLs with credentials are not fetched");
    }

    @Test
    void anEnormousUrlIsABadRequest() throws Exception {
        assertProblem(fetch("http://127.0.0.1/" + "a".repeat(3000)), 400, "at most 2048 are accepted");
    }

    @Test
    void aServerThatRefusesIsABadGateway() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        assertProblem(fetch("http://127.0.0.1:" + closed + "/"), 502, "could not connect to 127.0.0.1:" + closed);
    }

    @Test
    void anUnknownHostIsABadGateway() throws Exception {
        assertProblem(fetch("http://no-such-host.invalid/"), 502, "unknown host 'no-such-host.invalid'");
    }

    @Test
    void aServerThatStaysSilentIsAGatewayTimeout() throws Exception {
        ServerSocket silent = listen(8);
        Thread acceptor = new Thread(() -> {
            try {
                Socket accepted = silent.accept();
                this.peers.add(accepted);
            }
            catch (IOException ex) {
                // closed by the test
            }
        });
        acceptor.start();
        assertProblem(fetch("http://127.0.0.1:" + silent.getLocalPort() + "/"), 504, "sent nothing for 500 ms");
    }

    @Test
    void aServerThatNeverAcceptsIsAGatewayTimeout() throws Exception {
        ServerSocket full = listen(1);
        for (int i = 0; i < 2; i++) { // fill the accept queue (backlog 1 takes 2): the kernel drops further SYNs
            Socket filler = new Socket();
            filler.connect(full.getLocalSocketAddress(), 1_000);
            this.peers.add(filler);
        }
        assertProblem(fetch("http://127.0.0.1:" + full.getLocalPort() + "/"), 504, "within 500 ms");
    }

    @Test
    void aServerThatDoesNotSpeakHttpIsABadGateway() throws Exception {
        ServerSocket liar = listen(8);
        Thread answer = new Thread(() -> {
            try (Socket accepted = liar.accept()) {
                OutputStream out = accepted.getOutputStream();
                out.write("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            catch (IOException ex) {
                // the test fails on the answer instead
            }
        });
        answer.start();
        assertProblem(fetch("http://127.0.0.1:" + liar.getLocalPort() + "/"), 502, "is not HTTP");
    }

    @Test
    void aResponseLargerThanTheLimitIsCutOff() throws Exception {
        assertProblem(fetch("http://127.0.0.1:" + this.server.getAddress().getPort() + "/big"), 502,
                "sent more than 65536 bytes");
    }

    private ServerSocket listen(int backlog) throws IOException {
        ServerSocket socket = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        this.peers.add(socket);
        return socket;
    }

    private HttpResponse<String> fetch(String url) throws Exception {
        return get("/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.webPort + path))
            .timeout(Duration.ofSeconds(20))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat((String) JsonPath.read(response.body(), "$.detail")).contains(detail);
    }

}
