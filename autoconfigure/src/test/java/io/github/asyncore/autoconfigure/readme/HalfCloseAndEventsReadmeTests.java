package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.event.ChannelEventsAutoConfiguration;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keeps the README's "Half-close and channel events" true: its Java is the code compiled here, the query
 * client gets its answer after half-closing, and the event listener logs the exchange.
 */
@ExtendWith(OutputCaptureExtension.class)
class HalfCloseAndEventsReadmeTests {

    private static final String SECTION = "## Half-close and channel events";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class, ChannelEventsAutoConfiguration.class))
        .withBean("queryServer", QueryServer.class, QueryServer::new)
        .withBean(ConnectionLog.class)
        .withPropertyValues("asyncore.dispatchers.queryServer.address=127.0.0.1:0");

    @Test
    void theReadmeShowsTheCompiledExampleCode() throws IOException {
        List<String> java = Readme.blocks(SECTION, "java");
        assertThat(java).hasSize(3);
        assertThat(java.get(0)).isEqualTo(Readme.classBody("QueryClient.java"));
        assertThat(java.get(1)).isEqualTo(Readme.classBody("QueryHandler.java"));
        assertThat(java.get(2)).isEqualTo(Readme.classBody("ConnectionLog.java"));
    }

    @Test
    void theQueryClientHalfClosesAndGetsTheAnswerAndTheListenerLogsBothEnds(CapturedOutput output) {
        this.contextRunner.run((context) -> {
            Dispatcher server = context.getBean("queryServer", Dispatcher.class);
            byte[] query = new byte[300_000];
            CompletableFuture<QueryClient> client = new CompletableFuture<>();
            context.getBean(EventLoopGroup.class).acceptor().eventLoop().execute(() -> {
                try {
                    client.complete(new QueryClient(server.getLocalAddress(), query));
                }
                catch (IOException ex) {
                    client.completeExceptionally(ex);
                }
            });
            byte[] answer = client.get(10, TimeUnit.SECONDS).answer().get(10, TimeUnit.SECONDS);
            assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("got 300000 bytes\n"); // 17 bytes
            // both ends closed at the other's end-of-stream; the events arrive on their own thread
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(output.getOut())
                    .contains("QueryClient closed by PEER: 17 bytes in, 300000 out")
                    .containsPattern("queryServer#\\d+ closed by PEER: 300000 bytes in, 17 out"));
        });
    }

    /**
     * The listener the README leaves to the reader: like its EchoServer, with QueryHandler. Registered
     * with {@code withBean}, not scanned: the README's echo application scans this package.
     */
    static class QueryServer extends Dispatcher {

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            new QueryHandler(channel);
        }

    }

}
