package io.github.asyncore.demo.e2e;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.demo.echo.EchoServer;
import io.github.asyncore.demo.udp.UdpEchoServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The TCP and UDP echo servers of the running demo, with real clients. */
@DemoTest
class EchoAndUdpTests {

    private static final int MEBIBYTE = 1024 * 1024;

    @Autowired
    private EchoServer echoServer;

    @Autowired
    private UdpEchoServer udpEchoServer;

    @Test
    void echoesOneMebibyteIntactAndInOrder() throws Exception {
        byte[] data = new byte[MEBIBYTE];
        new Random(7007).nextBytes(data);
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port(this.echoServer)), 5_000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(data);
                    out.flush();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            InputStream in = client.getInputStream();
            byte[] echoed = in.readNBytes(MEBIBYTE);
            writer.get(10, TimeUnit.SECONDS);
            assertThat(echoed).isEqualTo(data);
        }
    }

    @Test
    void echoesDatagramsToTheirSender() throws Exception {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(10_000);
            for (String message : new String[] { "first", "a longer second datagram" }) {
                byte[] bytes = message.getBytes();
                client.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1",
                        port(this.udpEchoServer))));
                DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
                client.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength())).isEqualTo(message);
            }
        }
    }

    static int port(io.github.asyncore.core.Dispatcher listener) {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

}
