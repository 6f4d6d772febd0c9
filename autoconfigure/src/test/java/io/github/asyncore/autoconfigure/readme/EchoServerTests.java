package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(properties = "asyncore.dispatchers.echoServer.address=127.0.0.1:0")
class EchoServerTests {

    @Value("${local.asyncore.dispatchers.echoServer.port}")
    int port;

    @Autowired
    EventLoopGroup loops;

    @Test
    void echoesWhatItReads() throws IOException {
        try (Socket client = new Socket("127.0.0.1", this.port)) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = client.getInputStream().readNBytes(6);
            assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        }
        // the connection's close reaches the loop a moment later
        await().atMost(Duration.ofSeconds(5)).until(() -> this.loops.count(ChannelKind.CONNECTION) == 0);
    }

}
