package io.github.asyncore.autoconfigure;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "asyncore.dispatchers.echoServer.address=127.0.0.1:0")
class AsyncoreSmokeTest {

    @Autowired
    private EchoApplication.EchoServer echoServer;

    @Autowired
    private EventLoopGroup group;

    @Test
    void echoServerBeanListensAndServes() throws Exception {
        assertThat(this.echoServer.isAccepting()).isTrue();
        try (Socket socket = new Socket("127.0.0.1", ((java.net.InetSocketAddress) this.echoServer.getLocalAddress()).getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("hello spring".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(in.readNBytes(12), StandardCharsets.UTF_8)).isEqualTo("hello spring");
        }
        assertThat(this.group.acceptor().eventLoop().snapshot().thread()).isEqualTo("asyncore-0");
    }

}
