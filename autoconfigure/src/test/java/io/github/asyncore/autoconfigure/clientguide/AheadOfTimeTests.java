package io.github.asyncore.autoconfigure.clientguide;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.AsyncoreLifecycle;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.core.ReconnectStatus;
import org.junit.jupiter.api.Test;

import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring AOT on the JVM, as {@code process-aot} and {@code -Dspring.aot.enabled=true} run it: the bean
 * definitions of a listener bean and a client bean are generated ahead of time and compiled, and a fresh
 * context built from them alone listens, tells its port, and connects its client.
 */
@CompileWithForkedClassLoader
class AheadOfTimeTests {

    @Test
    void aListenerAndAClientWorkFromAheadOfTimeBeanDefinitions() throws Exception {
        try (LineServer server = LineServer.start()) {
            String[] properties = { "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "asyncore.dispatchers.priceClient.remote-address=127.0.0.1:" + server.port(),
                    "asyncore.dispatchers.priceClient.reconnect.initial-delay=50ms" };
            AnnotationConfigApplicationContext buildTime = new AnnotationConfigApplicationContext();
            buildTime.register(ListenerAndClient.class);
            TestPropertyValues.of(properties).applyTo(buildTime);
            TestGenerationContext generation = new TestGenerationContext();
            ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(buildTime, generation);
            generation.writeGeneratedContent();
            TestCompiler.forSystem().with(generation).compile((compiled) -> {
                @SuppressWarnings("unchecked")
                ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
                    .getInstance(ApplicationContextInitializer.class, initializerName.toString());
                try (GenericApplicationContext runTime = new GenericApplicationContext()) {
                    initializer.initialize(runTime);
                    TestPropertyValues.of(properties).applyTo(runTime);
                    runTime.refresh();
                    int port = runTime.getEnvironment()
                        .getRequiredProperty("local.asyncore.dispatchers.echoServer.port", Integer.class);
                    try (Socket client = LoopbackClients.connect(port)) {
                        LoopbackClients.echo(client, "ahead of time\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    PriceClient priceClient = runTime.getBean(PriceClient.class);
                    assertThat(server.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("SUBSCRIBE EURUSD");
                    await().atMost(Duration.ofSeconds(5)).until(() -> priceClient.prices().contains("PRICE EURUSD 1.08"));
                    assertThat(runTime.getBean(AsyncoreLifecycle.class)
                        .clients()
                        .get("priceClient")
                        .state()).isEqualTo(ReconnectStatus.State.CONNECTED);
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, SslAutoConfiguration.class,
            AsyncoreAutoConfiguration.class })
    static class ListenerAndClient {

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        PriceClient priceClient() {
            return new PriceClient();
        }

    }

}
