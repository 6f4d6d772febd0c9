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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /actuator/channels} on the demo's management port, with real clients connected. */
@DemoTest
class ChannelsEndpointTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalManagementPort
    private int managementPort;

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
