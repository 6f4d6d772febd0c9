package io.github.asyncore.demo.reliability;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.asyncore.demo.echo.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The echo server at its connection limit (5 here): refusals are prompt and counted, service resumes. */
@AbuseTest
class ConnectionLimitTests {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    private EchoServer echoServer;

    @LocalManagementPort
    private int managementPort;

    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (Socket client : this.clients) {
            client.close();
        }
    }

    @Test
    void pastTheLimitConnectionsAreRefusedPromptlyCountedAndServiceResumes() throws Exception {
        double refusedBefore = refusedMeter();
        for (int i = 0; i < 5; i++) {
            echo(connect(), "client " + i);
        }
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            Socket refused = connect();
            assertThat(refused.getInputStream().read()).as("refused: end-of-stream").isEqualTo(-1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("20 refusals").isLessThan(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> refusedMeter() == refusedBefore + 20);
        assertThat(this.echoServer.openConnections()).isEqualTo(5);
        this.clients.remove(0).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.echoServer.openConnections() == 4);
        echo(connect(), "served again");
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) this.echoServer.getLocalAddress()).getPort()),
                5_000);
        socket.setSoTimeout(10_000);
        this.clients.add(socket);
        return socket;
    }

    private static void echo(Socket socket, String text) throws Exception {
        socket.getOutputStream().write(text.getBytes());
        assertThat(new String(socket.getInputStream().readNBytes(text.length()))).isEqualTo(text);
    }

    private double refusedMeter() throws Exception {
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/metrics/asyncore.connections.refused"))
            .timeout(Duration.ofSeconds(10))
            .build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        return ((Number) JsonPath.read(body, "$.measurements[0].value")).doubleValue();
    }

}
