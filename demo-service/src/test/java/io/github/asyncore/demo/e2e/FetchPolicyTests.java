package io.github.asyncore.demo.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.demo.DemoApplication;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /fetch} with the destination policy as it ships: loopback, in every form a URL can write it, is
 * refused with 403 naming the rule, and the loopback upstream never sees a connection. Ports are open here
 * (the upstreams listen on free ports); the nested class restricts them. No fetch in this class leaves
 * 127.0.0.0/8 and ::1, and no name but {@code localhost} is looked up.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
                "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.chatServer.address=127.0.0.1:0",
                "asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0", "demo.fetch.allowed-ports=",
                "demo.fetch.connect-timeout=2s" })
class FetchPolicyTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int webPort;

    @RegisterExtension
    final LoopbackUpstreams upstreams = new LoopbackUpstreams();

    @Test
    void loopbackInEveryFormIsRefusedWithForbiddenAndNeverConnected() throws Exception {
        int port = this.upstreams.ipv4().port();
        for (String host : List.of("127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]", "127.0.0.2",
                "127.255.255.254")) {
            assertForbidden(fetch("http://" + host + ":" + port + "/"),
                    "is denied by the destination policy: loopback (127.0.0.0/8)");
        }
        for (String host : List.of("[::1]", "[0:0:0:0:0:0:0:1]")) {
            assertForbidden(fetch("http://" + host + ":" + this.upstreams.ipv6().port() + "/"),
                    "is denied by the destination policy: loopback (0:0:0:0:0:0:0:1/128)");
        }
        for (String host : List.of("0.0.0.0", "0", "[::]")) {
            assertForbidden(fetch("http://" + host + ":" + port + "/"),
                    "is denied by the destination policy: the any-local address");
        }
        assertForbidden(fetch("https://127.0.0.1:" + port + "/"), "loopback (127.0.0.0/8)");
        // java.net.URI finds no host in these shortened and dotted forms: refused before any policy is asked
        for (String host : List.of("127.1", "127.0.1", "127.0.0.1.")) {
            HttpResponse<String> response = fetch("http://" + host + ":" + port + "/");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat((String) JsonPath.read(response.body(), "$.detail")).contains("the URL names no host");
        }
        assertThat(this.upstreams.ipv4().requests()).as("connections the IPv4 loopback upstream saw").isEmpty();
        assertThat(this.upstreams.ipv6().requests()).as("connections the IPv6 loopback upstream saw").isEmpty();
    }

    @Test
    void theManagementPortIsNoFetchTarget() throws Exception {
        assertForbidden(fetch("http://127.0.0.1:" + this.webPort + "/actuator/health"), "loopback (127.0.0.0/8)");
    }

    @Test
    void aNumericHostThatIsNoAddressIsABadRequestNotALookup() throws Exception {
        HttpResponse<String> response = fetch("http://4294967296/"); // one part, above 2^32 - 1
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat((String) JsonPath.read(response.body(), "$.detail")).contains("'4294967296' is not a valid IPv4 address");
    }

    private HttpResponse<String> fetch(String url) throws Exception {
        return FetchPolicyTests.fetch(this.webPort, url);
    }

    static HttpResponse<String> fetch(int webPort, String url) throws Exception {
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + webPort + "/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(20))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void assertForbidden(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat((String) JsonPath.read(response.body(), "$.detail")).contains(detail);
    }

    /** Loopback allowed on purpose, but only port 80: the port rule refuses before any connect. */
    @Nested
    @TestPropertySource(properties = { "demo.fetch.allowed-networks=127.0.0.0/8", "demo.fetch.allowed-ports=80" })
    class PortsRestricted {

        @Test
        void aPortNotAllowedIsRefusedWithForbiddenAndNeverConnected() throws Exception {
            int port = FetchPolicyTests.this.upstreams.ipv4().port();
            assertForbidden(fetch("http://127.0.0.1:" + port + "/"), "port " + port + " is not in demo.fetch.allowed-ports [80]");
            assertThat(FetchPolicyTests.this.upstreams.ipv4().requests()).isEmpty();
        }

    }

}
