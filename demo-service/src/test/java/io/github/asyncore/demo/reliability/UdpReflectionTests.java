package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;

import io.github.asyncore.demo.udp.UdpEchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.asyncore.demo.reliability.Datagrams.assertNoAnswer;
import static io.github.asyncore.demo.reliability.Datagrams.receive;
import static io.github.asyncore.demo.reliability.Datagrams.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The UDP echo does not answer the ports where echo-like services live, so that a forged source address
 * cannot make it echo at one. Without root no test can send from a port below 1024, so the rules are
 * moved up to ports the test holds: three sockets bound on 127.0.0.1 before the demo starts, in
 * ascending port order; {@code min-source-port} is the middle one's port (the lowest is below it), and
 * {@code blocked-source-ports} is the highest one's.
 */
@ReliabilityTest
@ExtendWith(OutputCaptureExtension.class)
class UdpReflectionTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final DatagramSocket[] CLIENTS = boundInPortOrder(3);

    private static final DatagramSocket BELOW_MINIMUM = CLIENTS[0];

    private static final DatagramSocket ANSWERED = CLIENTS[1];

    private static final DatagramSocket BLOCKED = CLIENTS[2];

    @Autowired
    private UdpEchoServer udpEchoServer;

    @DynamicPropertySource
    static void sourcePortRules(DynamicPropertyRegistry registry) {
        registry.add("demo.udp.min-source-port", ANSWERED::getLocalPort);
        registry.add("demo.udp.blocked-source-ports", BLOCKED::getLocalPort);
    }

    @AfterAll
    static void closeClients() {
        Arrays.stream(CLIENTS).forEach(DatagramSocket::close);
    }

    @Test
    void aDatagramFromBelowTheMinimumSourcePortGetsNoAnswerWhileOneFromTheMinimumIsEchoed(CapturedOutput output)
            throws IOException {
        InetSocketAddress server = Datagrams.addressOf(this.udpEchoServer);
        send(BELOW_MINIMUM, "from below the minimum", server);
        send(ANSWERED, "from the minimum", server);
        assertThat(receive(ANSWERED, (int) WAIT.toMillis())).as("the server answers, after the first datagram")
            .isEqualTo("from the minimum");
        assertNoAnswer(BELOW_MINIMUM);
        await().atMost(WAIT).untilAsserted(() -> assertThat(output).contains("dropped a datagram from 127.0.0.1:"
                + BELOW_MINIMUM.getLocalPort() + " whose source port is below min-source-port ("
                + ANSWERED.getLocalPort() + ")"));
    }

    @Test
    void aDatagramFromABlockedSourcePortGetsNoAnswerWhileAnotherPortIsEchoed(CapturedOutput output)
            throws IOException {
        InetSocketAddress server = Datagrams.addressOf(this.udpEchoServer);
        send(BLOCKED, "from a blocked port", server);
        send(ANSWERED, "from another port", server);
        assertThat(receive(ANSWERED, (int) WAIT.toMillis())).isEqualTo("from another port");
        assertNoAnswer(BLOCKED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(output).contains("dropped a datagram from 127.0.0.1:"
                + BLOCKED.getLocalPort() + " whose source port is in blocked-source-ports [" + BLOCKED.getLocalPort()
                + "]"));
    }

    /** @return sockets on free ports of 127.0.0.1, lowest port first */
    private static DatagramSocket[] boundInPortOrder(int count) {
        DatagramSocket[] sockets = new DatagramSocket[count];
        for (int i = 0; i < count; i++) {
            sockets[i] = Datagrams.bind("127.0.0.1", 0);
        }
        Arrays.sort(sockets, Comparator.comparingInt(DatagramSocket::getLocalPort));
        return sockets;
    }

}
