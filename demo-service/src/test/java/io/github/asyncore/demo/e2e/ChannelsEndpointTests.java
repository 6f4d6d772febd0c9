package io.github.asyncore.demo.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.demo.chat.ChatServer;
import io.github.asyncore.demo.echo.EchoServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /actuator/channels} on the demo's management port, with real clients connected. */
@DemoTest
class ChannelsEndpointTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalManagementPort
    private int managementPort;

    @LocalServerPort
    private int webPort;

    @Autowired
    private EchoServer echoServer;

    @Autowired
    private ChatServer chatServer;

    @Test
    void listsTheListenersAndTheConnectedClientsWithTheirStates() throws Exception {
        try (LineClient chatter = new LineClient(this.chatServer.getLocalAddress());
                LineClient echoer = new LineClient(this.echoServer.getLocalAddress())) {
            chatter.readLine();
            echoer.send("ping");
            assertThat(echoer.readLine()).isEqualTo("ping");
            String local = "127.0.0.1:" + ((java.net.InetSocketAddress) chatter.localAddress()).getPort();
            await().atMost(Duration.ofSeconds(10)).until(() -> channels("?kind=connection").contains(local));
            String all = channels("");
            assertThat(JsonPath.<List<String>>read(all, "$.channels[?(@.kind == 'LISTENER')].name"))
                .contains("echoServer", "chatServer");
            assertThat(JsonPath.<List<String>>read(all, "$.channels[?(@.kind == 'DATAGRAM')].name"))
                .containsExactly("udpEchoServer");
            List<Map<String, Object>> chat = JsonPath.read(all, "$.channels[?(@.remoteAddress == '" + local + "')]");
            assertThat(chat).singleElement().satisfies((channel) -> {
                assertThat(channel).containsEntry("kind", "CONNECTION").containsEntry("state", "CONNECTED")
                    .containsEntry("readable", true).containsEntry("writable", false);
                assertThat((String) channel.get("name")).startsWith("chatServer#");
                assertThat((Integer) channel.get("bytesWritten")).isPositive();
            });
            assertThat(JsonPath.<List<Boolean>>read(all, "$.channels[?(@.name == 'echoServer')].writable"))
                .containsExactly(false);
        }
    }

    @Test
    void theOperatorClosesAChannelOnTheManagementPortOnlyAndTheClientSeesEndOfStream() throws Exception {
        try (LineClient echoer = new LineClient(this.echoServer.getLocalAddress())) {
            echoer.send("ping");
            assertThat(echoer.readLine()).isEqualTo("ping");
            String local = "127.0.0.1:" + ((java.net.InetSocketAddress) echoer.localAddress()).getPort();
            List<Integer> ids = JsonPath.read(channels("?kind=connection"),
                    "$.channels[?(@.remoteAddress == '" + local + "')].id");
            assertThat(ids).hasSize(1);
            assertThat(send("DELETE", this.webPort, "/actuator/channels/" + ids.get(0)).statusCode())
                .as("the web port serves no actuator").isEqualTo(404);
            HttpResponse<String> closed = send("DELETE", this.managementPort, "/actuator/channels/" + ids.get(0));
            assertThat(closed.statusCode()).isEqualTo(200);
            assertThat((String) JsonPath.read(closed.body(), "$.remoteAddress")).isEqualTo(local);
            assertThat(echoer.readLine()).as("closed from the operator's side").isNull();
        }
    }

    private HttpResponse<String> send(String method, int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String channels(String query) throws Exception {
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/channels" + query))
            .timeout(Duration.ofSeconds(10))
            .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

}
