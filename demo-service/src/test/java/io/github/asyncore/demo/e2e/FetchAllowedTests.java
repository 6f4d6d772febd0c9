package io.github.asyncore.demo.e2e;

import java.net.http.HttpResponse;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /fetch} with loopback allowed on purpose ({@code demo.fetch.allowed-networks=127.0.0.0/8,::1/128},
 * as {@link DemoTest} sets): the same forms the shipped policy refuses are fetched, IPv6 included, each
 * request carries a {@code Host} header with the port (and brackets for IPv6), and a path outside ASCII is
 * sent percent-encoded.
 */
@DemoTest
class FetchAllowedTests {

    @LocalServerPort
    private int webPort;

    @RegisterExtension
    final LoopbackUpstreams upstreams = new LoopbackUpstreams();

    @Test
    void loopbackInEveryFormIsFetchedWhenAllowedOnPurpose() throws Exception {
        int port = this.upstreams.ipv4().port();
        List<String> hosts = List.of("127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]");
        for (String host : hosts) {
            HttpResponse<String> response = FetchPolicyTests.fetch(this.webPort, "http://" + host + ":" + port + "/page");
            assertThat(response.statusCode()).as("%s: %s", host, response.body()).isEqualTo(200);
            assertThat((String) JsonPath.read(response.body(), "$.body")).isEqualTo("ok");
        }
        assertThat(this.upstreams.ipv4().requests()).hasSize(hosts.size())
            .allSatisfy((request) -> assertThat(request).startsWith("GET /page HTTP/1.0\r\n"));
        assertThat(this.upstreams.ipv4().requests()).extracting(FetchAllowedTests::hostHeader)
            .containsExactly("127.0.0.1:" + port, "localhost:" + port, "2130706433:" + port,
                    "[::ffff:127.0.0.1]:" + port);
    }

    @Test
    void ipv6LoopbackIsFetchedWithABracketedHostHeader() throws Exception {
        int port = this.upstreams.ipv6().port();
        HttpResponse<String> response = FetchPolicyTests.fetch(this.webPort, "http://[::1]:" + port + "/v6?q=1");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(this.upstreams.ipv6().requests()).singleElement().satisfies((request) -> {
            assertThat(request).startsWith("GET /v6?q=1 HTTP/1.0\r\n");
            assertThat(hostHeader(request)).isEqualTo("[::1]:" + port);
        });
    }

    @Test
    void aPathOutsideAsciiIsSentPercentEncoded() throws Exception {
        int port = this.upstreams.ipv4().port();
        HttpResponse<String> response = FetchPolicyTests.fetch(this.webPort,
                "http://127.0.0.1:" + port + "/caf\u00e9/\u00fcber?stra\u00dfe=gr\u00fcn&x=%20");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(this.upstreams.ipv4().requests()).singleElement()
            .satisfies((request) -> assertThat(request)
                .startsWith("GET /caf%C3%A9/%C3%BCber?stra%C3%9Fe=gr%C3%BCn&x=%20 HTTP/1.0\r\n"));
    }

    private static String hostHeader(String request) {
        for (String line : request.split("\r\n")) {
            if (line.regionMatches(true, 0, "Host:", 0, 5)) {
                return line.substring(5).strip();
            }
        }
        return null;
    }

}
