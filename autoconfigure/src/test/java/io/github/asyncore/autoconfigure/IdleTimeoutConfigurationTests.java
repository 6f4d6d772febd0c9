package io.github.asyncore.autoconfigure;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.Dispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idle timeouts from {@code application.yml} ({@code idle-test.yml}): the global one, a shorter one for one
 * bean, and none for another, each applied to the connections its listener accepts.
 */
@SpringBootTest(classes = IdleTimeoutConfigurationTests.IdleServers.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "spring.config.name=idle-test")
class IdleTimeoutConfigurationTests {

    private static final long SLACK_MILLIS = 2_000;

    @Autowired
    @Qualifier("echoServer")
    private Dispatcher echoServer;

    @Autowired
    @Qualifier("quickServer")
    private Dispatcher quickServer;

    @Autowired
    @Qualifier("patientServer")
    private Dispatcher patientServer;

    @Test
    void globalAndPerBeanIdleTimeoutsCloseIdleClientsWhileAnotherBeansClientStaysOpen() throws Exception {
        // taken before connecting: a server's idle clock starts when it accepts, which may be before the
        // last of the three connects returns (on a busy machine that took more than the slack below zero)
        long start = System.nanoTime();
        try (Socket global = LoopbackClients.connect(this.echoServer);
                Socket quick = LoopbackClients.connect(this.quickServer);
                Socket patient = LoopbackClients.connect(this.patientServer)) {
            CompletableFuture<Long> globalClosed = closedAfterMillis(global, start);
            CompletableFuture<Long> quickClosed = closedAfterMillis(quick, start);
            assertThat(quickClosed.get(10, TimeUnit.SECONDS)).isBetween(300L, 300L + SLACK_MILLIS);
            assertThat(globalClosed.get(10, TimeUnit.SECONDS)).isBetween(600L, 600L + SLACK_MILLIS);
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .until(() -> !patient.isInputShutdown() && patient.getInputStream().available() == 0);
            patient.getOutputStream().write("still here".getBytes());
            assertThat(new String(patient.getInputStream().readNBytes(10))).isEqualTo("still here");
        }
    }

    /** Reads until end-of-stream on another thread and reports when it came, in ms after {@code start}. */
    private static CompletableFuture<Long> closedAfterMillis(Socket socket, long start) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = socket.getInputStream();
                while (in.read() != -1) {
                    // an idle client receives nothing but the end of the stream
                }
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class IdleServers {

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        EchoApplication.EchoServer quickServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        EchoApplication.EchoServer patientServer() {
            return new EchoApplication.EchoServer();
        }

    }

}
