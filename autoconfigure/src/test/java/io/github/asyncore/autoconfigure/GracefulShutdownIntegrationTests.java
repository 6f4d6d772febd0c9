package io.github.asyncore.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.Dispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Closing the application context delivers output already accepted before the channels close. */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownIntegrationTests {

    private static final int RESPONSE_SIZE = 8 * 1024 * 1024;

    @Test
    void contextCloseDrainsPendingOutputThenClosesCleanly(CapturedOutput output) throws Exception {
        SpringApplication application = new SpringApplication(BulkApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        ConfigurableApplicationContext context = application.run("--asyncore.dispatchers.bulkServer.address=127.0.0.1:0",
                "--asyncore.shutdown.timeout=20s",
                // the 8 MiB answer is queued in one send, past the default output hard limit
                "--asyncore.dispatchers.bulkServer.output-hard-limit=0",
                "--asyncore.dispatchers.bulkServer.output-soft-limit=0");
        Dispatcher listener = context.getBean("bulkServer", Dispatcher.class);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write('!');
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> listener.map().snapshot().stream()
                .anyMatch((channel) -> channel.pendingOutputBytes() > 0));
            CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !listener.isAccepting());
            InputStream in = client.getInputStream();
            byte[] received = in.readNBytes(RESPONSE_SIZE);
            assertThat(received).hasSize(RESPONSE_SIZE).isEqualTo(BulkHandler.RESPONSE);
            assertThat(in.read()).as("end-of-stream after the drain").isEqualTo(-1);
            closed.get(20, TimeUnit.SECONDS);
        }
        assertThat(output).contains("asyncore stopped in").contains("1 listeners closed, 1 channels drained, 0 aborted");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BulkApplication {

        @Bean
        Dispatcher bulkServer() {
            return new Dispatcher() {
                @Override
                public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                    new BulkHandler(channel);
                }
            };
        }

    }

    /** Answers any byte with 8 MiB, more than the socket buffers hold, so output waits in the dispatcher. */
    static final class BulkHandler extends BufferedDispatcher {

        static final byte[] RESPONSE = new byte[RESPONSE_SIZE];

        static {
            for (int i = 0; i < RESPONSE.length; i++) {
                RESPONSE[i] = (byte) (i % 251);
            }
        }

        BulkHandler(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            if (recv(16).length > 0) {
                send(RESPONSE);
            }
        }

    }

}
