package io.github.asyncore.autoconfigure.clientguide;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.autoconfigure.AsyncoreLifecycle;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.readme.Readme;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint;
import io.github.asyncore.boot.actuate.health.AsyncoreHealthIndicator;
import io.github.asyncore.core.ReconnectStatus;
import io.github.asyncore.core.Reconnector;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keeps the README's client bean true, and shows that it keeps its connection: its server stopped and
 * started again on the same port, the bean is back within the back-off bound, and every message sent
 * after it came back arrives. A real context and real sockets on 127.0.0.1.
 */
class ClientBeanReadmeTests {

    private static final String SECTION = "## Client beans: connect and reconnect";

    @Test
    void theReadmeShowsTheCompiledClient() throws Exception {
        List<String> java = Readme.blocks(SECTION, "java");
        assertThat(java).hasSize(1);
        assertThat(java.get(0)).isEqualTo(Readme.classBody(Readme.CLIENT_GUIDE_SOURCES.resolve("PriceClient.java")));
    }

    @Test
    void theClientReconnectsWhenItsServerComesBackAndLosesNothingSentAfterwards() throws Exception {
        try (LineServer server = LineServer.start(); ConfigurableApplicationContext context = run(server.port())) {
            PriceClient client = context.getBean(PriceClient.class);
            AsyncoreLifecycle asyncore = context.getBean(AsyncoreLifecycle.class);
            assertThat(server.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("SUBSCRIBE EURUSD");
            await().atMost(Duration.ofSeconds(5)).until(() -> client.prices().contains("PRICE EURUSD 1.08"));
            assertThat(asyncore.clients().get("priceClient").state()).isEqualTo(ReconnectStatus.State.CONNECTED);

            int port = server.port();
            server.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
            await().atMost(Duration.ofSeconds(5))
                .until(() -> asyncore.clients().get("priceClient").failedAttempts() >= 2);
            assertThat(client.request("LOST")).isFalse(); // nothing is queued while the connection is down
            assertThat(asyncore.clients().get("priceClient").state()).isIn(ReconnectStatus.State.WAITING,
                    ReconnectStatus.State.CONNECTING);
            // the server is another service's availability: this application stays healthy while it retries
            assertThat(context.getBean(AsyncoreHealthIndicator.class).health(false).getStatus()).isEqualTo(Status.UP);

            server.restart(port);
            long restarted = System.nanoTime();
            // the README's max-delay is 5s: the next attempt comes within it, whatever the attempts before
            await().atMost(Duration.ofSeconds(5 + 2)).until(client::isConnected);
            assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofSeconds(5 + 2));
            assertThat(server.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("SUBSCRIBE EURUSD");

            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                String line = "ORDER " + i;
                assertThat(client.request(line)).isTrue();
                sent.add(line);
            }
            List<String> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                server.lines.drainTo(received);
                return received.size() >= sent.size();
            });
            assertThat(received).containsExactlyElementsOf(sent);

            ReconnectStatus status = asyncore.clients().get("priceClient");
            assertThat(status.state()).isEqualTo(ReconnectStatus.State.CONNECTED);
            assertThat(status.connects()).isEqualTo(2);
            assertThat(context.getBean(ChannelsEndpoint.class).channels(null, null).clients())
                .singleElement()
                .satisfies((described) -> {
                    assertThat(described.name()).isEqualTo("priceClient");
                    assertThat(described.remoteAddress()).isEqualTo("127.0.0.1:" + port);
                    assertThat(described.state()).isEqualTo(ReconnectStatus.State.CONNECTED);
                });
        }
    }

    @Test
    void anApplicationCloseIsNotUndone() throws Exception {
        try (LineServer server = LineServer.start(); ConfigurableApplicationContext context = run(server.port())) {
            PriceClient client = context.getBean(PriceClient.class);
            assertThat(server.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("SUBSCRIBE EURUSD");
            client.close();
            await().atMost(Duration.ofSeconds(5))
                .until(() -> context.getBean(AsyncoreLifecycle.class).clients().get("priceClient").state()
                        == ReconnectStatus.State.STOPPED);
            assertThat(client.isConnected()).isFalse();
            // no new connection, hence no new SUBSCRIBE, for a while longer than the first reconnection delay
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(server.lines::isEmpty);
        }
    }

    @Test
    void aClientOfAListenerInTheSameApplicationConnectsAtTheFirstAttempt() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // a free port, known before start-up for both beans
        }
        SpringApplication application = new SpringApplication(ClientBeforeServer.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(
                "--asyncore.dispatchers.priceClient.remote-address=127.0.0.1:" + port,
                "--asyncore.dispatchers.echoServer.address=127.0.0.1:" + port)) {
            PriceClient client = context.getBean(PriceClient.class);
            // the echo server sends the subscription back as the client's first line
            await().atMost(Duration.ofSeconds(5)).until(() -> client.prices().contains("SUBSCRIBE EURUSD"));
            ReconnectStatus status = context.getBean(AsyncoreLifecycle.class).clients().get("priceClient");
            assertThat(status.connects()).isEqualTo(1);
            assertThat(status.failedAttempts()).isZero();
            assertThat(status.lastFailure()).as("the first attempt found the listener open").isNull();
        }
    }

    /** A client bean defined before the listener it connects to. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ClientBeforeServer {

        @Bean
        PriceClient priceClient() {
            return new PriceClient();
        }

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

    }

    /** The README's YAML, with the test server's address in place of the README's. */
    private static ConfigurableApplicationContext run(int port) throws Exception {
        List<PropertySource<?>> sources = Readme.yaml(SECTION, 0, 1);
        SpringApplication application = new SpringApplication(PriceClientApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addInitializers((context) -> sources.forEach(context.getEnvironment().getPropertySources()::addLast));
        return application.run("--asyncore.dispatchers.priceClient.remote-address=127.0.0.1:" + port,
                "--management.endpoints.web.exposure.include=channels");
    }

}
