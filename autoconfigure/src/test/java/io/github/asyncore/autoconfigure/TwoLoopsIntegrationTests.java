package io.github.asyncore.autoconfigure;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code asyncore.loop.threads=2} the listener accepts on one loop and connections use both; the
 * {@code channels} endpoint shows the channels and loops of both as one.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "asyncore.loop.threads=2", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "server.address=127.0.0.1", "management.endpoints.web.exposure.include=channels,configprops",
                "management.endpoint.configprops.show-values=always" })
class TwoLoopsIntegrationTests {

    @LocalServerPort
    private int port;

    @Autowired
    private EchoApplication.EchoServer echoServer;

    @Autowired
    private EventLoopGroup group;

    @Test
    void configpropsShowsTheBoundAsyncoreProperties() {
        String body = new ActuatorClient(this.port).get("/actuator/configprops/asyncore").body();
        String properties = "$.contexts.*.beans['asyncore-io.github.asyncore.autoconfigure.AsyncoreProperties'].properties";
        assertThat(JsonPath.<List<Integer>>read(body, properties + ".loop.threads")).containsExactly(2);
        assertThat(JsonPath.<List<String>>read(body, properties + ".loop.stallThreshold")).containsExactly("PT0.1S");
        assertThat(JsonPath.<List<Object>>read(body, properties + ".channel.maxFrameSize")).hasSize(1);
        assertThat(JsonPath.<List<String>>read(body, properties + ".dispatchers.echoServer.address"))
            .containsExactly("127.0.0.1:0");
    }

    @Test
    void connectionsAreSpreadOverBothLoopsAndEchoOnEach() throws Exception {
        int port = ((InetSocketAddress) this.echoServer.getLocalAddress()).getPort();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Socket client = new Socket("127.0.0.1", port);
                client.setSoTimeout(10_000);
                clients.add(client);
                byte[] message = ("message " + i).getBytes();
                client.getOutputStream().write(message);
                assertThat(client.getInputStream().readNBytes(message.length)).isEqualTo(message);
            }
            await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> this.group.count(ChannelKind.CONNECTION) == 6);
            List<ChannelSnapshot> connections = this.group.snapshot().stream()
                .filter((channel) -> channel.kind() == ChannelKind.CONNECTION)
                .toList();
            assertThat(connections).extracting(ChannelSnapshot::loop).containsOnly("asyncore-0", "asyncore-1");
            assertThat(connections.stream().filter((channel) -> channel.loop().equals("asyncore-1")).count())
                .isEqualTo(3);
            assertThat(connections).allSatisfy((channel) -> assertThat(channel.name()).startsWith("echoServer#"));
            assertThat(this.echoServer.map().name()).isEqualTo("asyncore-0");

            String body = new ActuatorClient(this.port).get("/actuator/channels?kind=connection").body();
            assertThat(JsonPath.<List<String>>read(body, "$.loops[*].name")).containsExactly("asyncore-0", "asyncore-1");
            assertThat(JsonPath.<List<String>>read(body, "$.loops[*].thread")).containsExactly("asyncore-0", "asyncore-1");
            assertThat(JsonPath.<List<String>>read(body, "$.channels[*].loop")).hasSize(6)
                .containsOnly("asyncore-0", "asyncore-1");
            assertThat(JsonPath.<List<Integer>>read(body, "$.channels[*].id"))
                .containsExactlyElementsOf(connections.stream().map((channel) -> (int) channel.id()).toList());
        }
        finally {
            for (Socket client : clients) {
                client.close();
            }
        }
    }

}
