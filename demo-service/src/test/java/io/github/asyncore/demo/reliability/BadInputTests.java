package io.github.asyncore.demo.reliability;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Random;

import io.github.asyncore.demo.chat.ChatServer;
import io.github.asyncore.demo.e2e.LineClient;
import io.github.asyncore.demo.udp.UdpEchoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Input that breaks the rules gets its documented outcome, and everyone else is served throughout. */
@AbuseTest
@ExtendWith(OutputCaptureExtension.class)
class BadInputTests {

    @Autowired
    private ChatServer chatServer;

    @Autowired
    private UdpEchoServer udpEchoServer;

    @Test
    void randomBytesWithoutATerminatorGetAnErrorLineAndOnlyThatChatterLeaves() throws Exception {
        try (LineClient bystander = new LineClient(this.chatServer.getLocalAddress());
                LineClient garbage = new LineClient(this.chatServer.getLocalAddress())) {
            bystander.readLine();
            garbage.readLine();
            bystander.send("/nick bystander");
            assertThat(bystander.readLineStartingWith("* you")).isEqualTo("* you are now bystander");
            byte[] noise = new byte[4096];
            new Random(7008).nextBytes(noise);
            for (int i = 0; i < noise.length; i++) {
                if (noise[i] == '\n') {
                    noise[i] = 'n'; // a terminator that never comes
                }
            }
            garbage.sendRaw(noise);
            assertThat(garbage.readLineStartingWith("!")).isEqualTo("! line longer than 1024 bytes; closing");
            assertThat(garbage.readLine()).isNull();
            assertThat(bystander.readLineEndingWith(" left")).startsWith("* guest-");
            bystander.send("/who");
            assertThat(bystander.readLineStartingWith("* in the room:")).isEqualTo("* in the room: bystander");
        }
    }

    @Test
    void aDatagramLargerThanTheBufferIsDroppedWithALoggedReasonAndTheNextOneIsEchoed(CapturedOutput output)
            throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1",
                ((InetSocketAddress) this.udpEchoServer.getLocalAddress()).getPort());
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(1_000);
            byte[] big = new byte[2048];
            client.send(new DatagramPacket(big, big.length, server));
            DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
            assertThatExceptionOfType(SocketTimeoutException.class).as("no echo cut short")
                .isThrownBy(() -> client.receive(reply));
            byte[] small = "small enough".getBytes();
            client.setSoTimeout(10_000);
            client.send(new DatagramPacket(small, small.length, server));
            client.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength())).isEqualTo("small enough");
        }
        assertThat(output).contains("dropped a datagram from 127.0.0.1:")
            .contains("longer than receive-buffer-size (1024 bytes)");
    }

}
