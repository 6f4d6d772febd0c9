package io.github.asyncore.demo.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.asyncore.demo.echo.TlsEchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's TLS: the TLS echo listener with the development certificate, talked to by the JDK's
 * {@link SSLSocket} and by Debian's {@code openssl s_client}, and {@code GET /fetch} of {@code https://}
 * URLs served by a local JDK HTTPS server, trusted or not.
 */
@DemoTest
class TlsTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    private TlsEchoServer tlsEchoServer;

    @Autowired
    private SslBundles sslBundles;

    @LocalServerPort
    private int webPort;

    private HttpsServer httpsServer;

    @AfterEach
    void stopServer() {
        if (this.httpsServer != null) {
            this.httpsServer.stop(0);
        }
    }

    @Test
    void theTlsEchoAnswersAJdkClientThatTrustsTheDevelopmentCertificate() throws Exception {
        SSLContext trust = this.sslBundles.getBundle("demo-tls").createSslContext();
        byte[] data = new byte[1024 * 1024];
        new Random(7443).nextBytes(data);
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", tlsPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).startsWith("TLSv1.");
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(data);
                    out.flush();
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            byte[] echoed = socket.getInputStream().readNBytes(data.length);
            writer.get(10, TimeUnit.SECONDS);
            assertThat(echoed).isEqualTo(data);
        }
    }

    @Test
    void opensslSClientTalksToTheTlsEcho(@TempDir Path directory) throws Exception {
        OpensslSClient.assertEchoes(tlsPort(), directory, "hello from openssl");
    }

    @Test
    void fetchesAnHttpsPageWhoseCertificateTheTrustBundleTrusts() throws Exception {
        startHttpsServer(this.sslBundles.getBundle("demo-tls").createSslContext());
        for (String host : new String[] { "localhost", "127.0.0.1" }) {
            String url = "https://" + host + ":" + this.httpsServer.getAddress().getPort() + "/page";
            HttpResponse<String> response = fetch(url);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat((Integer) JsonPath.read(response.body(), "$.statusCode")).isEqualTo(200);
            assertThat((String) JsonPath.read(response.body(), "$.body")).isEqualTo("<h1>fetched over TLS</h1>");
        }
    }

    @Test
    void anHttpsServerWithAnUntrustedCertificateIsABadGateway(@TempDir Path directory) throws Exception {
        startHttpsServer(TestCertificates.selfSigned(directory, "localhost"));
        String url = "https://localhost:" + this.httpsServer.getAddress().getPort() + "/page";
        HttpResponse<String> response = fetch(url);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat((String) JsonPath.read(response.body(), "$.detail")).startsWith("TLS with ").contains("failed");
    }

    private int tlsPort() {
        return ((InetSocketAddress) this.tlsEchoServer.getAddress()).getPort();
    }

    private void startHttpsServer(SSLContext keys) throws IOException {
        this.httpsServer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.httpsServer.setHttpsConfigurator(new HttpsConfigurator(keys));
        this.httpsServer.createContext("/page", (exchange) -> {
            byte[] body = "<h1>fetched over TLS</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        this.httpsServer.start();
    }

    private HttpResponse<String> fetch(String url) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + this.webPort + "/fetch?url="
                + URLEncoder.encode(url, StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
