package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.demo.echo.EchoServer;
import io.github.asyncore.demo.udp.UdpEchoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static io.github.asyncore.demo.reliability.Datagrams.receive;
import static io.github.asyncore.demo.reliability.Datagrams.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A flood from one source address is cut to that source's rate, and the loop serves others meanwhile (a
 * TCP echo client on the same loop). Tests stay on 127.0.0.1, so there is no second source address to
 * show that other sources keep their own limits: {@code SourceRateLimiterTests} does, without sockets.
 * The limit is low here (50 a second, burst 50) so that 1,000 datagrams sent at once overrun it by far.
 */
@ReliabilityTest
@TestPropertySource(properties = { "demo.udp.max-datagrams-per-second=50", "demo.udp.burst=50" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // the test closes the UDP echo
class UdpFloodTests {

    private static final int RATE = 50;

    private static final int BURST = 50;

    private static final int FLOOD = 1_000;

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private UdpEchoServer udpEchoServer;

    @Autowired
    private EchoServer echoServer;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFloodFromOneSourceIsCutToItsRateWhileTheLoopServesOthers(CapturedOutput output) throws Exception {
        InetSocketAddress server = Datagrams.addressOf(this.udpEchoServer);
        try (DatagramSocket flooder = new DatagramSocket(null); EchoClient bystander = new EchoClient(
                EchoClient.port(this.echoServer))) {
            flooder.setReceiveBufferSize(1 << 20); // room for every answer a broken limit would send
            flooder.bind(new InetSocketAddress("127.0.0.1", 0));
            long start = System.nanoTime();
            for (int i = 0; i < FLOOD / 2; i++) {
                send(flooder, "flood " + i, server);
            }
            // In the middle of the flood, a TCP client of the same loop is answered as usual.
            assertThat(bystander.roundTrips(20).p99()).as("echo round trips during the flood")
                .isLessThan(Duration.ofSeconds(1));
            for (int i = FLOOD / 2; i < FLOOD; i++) {
                send(flooder, "flood " + i, server);
            }
            int answers = countAnswers(flooder, start + WAIT.toNanos());
            double elapsedSeconds = (System.nanoTime() - start) / 1e9;
            int mostAllowed = BURST + (int) Math.ceil(RATE * elapsedSeconds) + 5;
            assertThat(answers).as("answers to %d datagrams in %.2f s", FLOOD, elapsedSeconds)
                .isBetween(1, mostAllowed);

            await().atMost(WAIT).ignoreException(SocketTimeoutException.class).untilAsserted(() -> {
                send(flooder, "served again", server);
                assertThat(receive(flooder, 200)).as("the flooder, once its tokens come back")
                    .isEqualTo("served again");
            });
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(output)
            .contains("dropped a datagram from 127.0.0.1:")
            .contains(" over its source's rate limit (50 per second, burst 50) (logged at most every 10 s)"));
        // The rest of the flood's drops are held for the line at the end of the 10 s; closing writes it now.
        this.udpEchoServer.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(output.toString())
            .containsPattern("dropped [0-9]+ more datagrams over its source's rate limit \\(50 per second, burst 50\\),"
                    + " the latest from 127\\.0\\.0\\.1:"));
    }

    /** @return the answers that arrive before none came for half a second, or the deadline passed */
    private static int countAnswers(DatagramSocket client, long deadlineNanos) throws IOException {
        int answers = 0;
        while (System.nanoTime() < deadlineNanos) {
            try {
                String answer = receive(client, Datagrams.NO_ANSWER_WAIT_MILLIS);
                assertThat(answer).startsWith("flood ");
                answers++;
            }
            catch (SocketTimeoutException ex) {
                break;
            }
        }
        return answers;
    }

}
