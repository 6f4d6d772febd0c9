package io.github.asyncore.autoconfigure;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.asyncore.boot.event.DispatchersStartedEvent;
import io.github.asyncore.core.Dispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What a Spring developer expects of the bean names under {@code asyncore.dispatchers}: the relaxed forms
 * Spring Boot accepts elsewhere, an environment variable overriding a file, and port 0 told back through
 * the environment and an event. Real contexts, real sockets on 127.0.0.1.
 */
@ExtendWith(OutputCaptureExtension.class)
class DispatcherNamesIntegrationTests {

    @Test
    void anEnvironmentVariableNamesACamelCaseBeanAndOverridesTheFile() throws Exception {
        // the file's address would fail (no such directory); the variable's wins, as it does for any Boot property
        Map<String, Object> file = Map.of("asyncore.dispatchers.kvServer.address", "unix:/no/such/dir/kv.sock",
                "asyncore.dispatchers.kvServer.max-connections", "7");
        Map<String, Object> variables = Map.of("ASYNCORE_DISPATCHERS_KVSERVER_ADDRESS", "127.0.0.1:0");
        try (ConfigurableApplicationContext context = run(KeyValueApplication.class, file, variables)) {
            Dispatcher kvServer = context.getBean("kvServer", Dispatcher.class);
            assertThat(kvServer.isAccepting()).isTrue();
            assertThat(kvServer.getSettings().maxConnections()).isEqualTo(7);
            int port = context.getEnvironment().getRequiredProperty("local.asyncore.dispatchers.kvServer.port",
                    Integer.class);
            assertThat(port).isEqualTo(LoopbackClients.port(kvServer));
            try (Socket client = LoopbackClients.connect(port)) {
                LoopbackClients.echo(client, "set a 1\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aDashedKeyNamesACamelCaseBean() throws Exception {
        try (ConfigurableApplicationContext context = run(KeyValueApplication.class,
                Map.of("asyncore.dispatchers.kv-server.address", "127.0.0.1:0"), Map.of())) {
            assertThat(context.getBean("kvServer", Dispatcher.class).isAccepting()).isTrue();
        }
    }

    @Test
    void portZeroIsToldByPropertyAndByEventBeforeTheContextIsReady() throws Exception {
        List<DispatchersStartedEvent> events = new ArrayList<>();
        SpringApplication application = application(KeyValueApplication.class,
                Map.of("asyncore.dispatchers.kvServer.address", "127.0.0.1:0",
                        "asyncore.dispatchers.counter.type", "datagram",
                        "asyncore.dispatchers.counter.address", "127.0.0.1:0"), Map.of());
        List<String> order = new ArrayList<>();
        application.addListeners((org.springframework.context.ApplicationListener<DispatchersStartedEvent>) (event) -> {
            events.add(event);
            order.add("started:" + Thread.currentThread().getName());
        });
        application.addListeners((org.springframework.context.ApplicationListener<
                org.springframework.boot.context.event.ApplicationReadyEvent>) (event) -> order.add("ready"));
        try (ConfigurableApplicationContext context = application.run()) {
            assertThat(order).containsExactly("started:main", "ready");
            DispatchersStartedEvent event = events.get(0);
            int kvPort = LoopbackClients.port(context.getBean("kvServer", Dispatcher.class));
            int counterPort = LoopbackClients.port(context.getBean("counter", Dispatcher.class));
            assertThat(event.getLocalAddresses()).containsOnlyKeys("kvServer", "counter");
            assertThat(event.getPort("kvServer")).isEqualTo(kvPort);
            assertThat(event.getPort("counter")).isEqualTo(counterPort);
            assertThat(event.getRemoteAddresses()).isEmpty();
            assertThat(context.getEnvironment().getProperty("local.asyncore.dispatchers.kvServer.port", Integer.class))
                .isEqualTo(kvPort);
            assertThat(context.getEnvironment().getProperty("local.asyncore.dispatchers.counter.address"))
                .isEqualTo("127.0.0.1:" + counterPort);
            try (Socket client = LoopbackClients.connect(kvPort)) {
                LoopbackClients.echo(client, "get a\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aKeyMatchingTwoBeansFailsStartUp(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(TwinsApplication.class,
                Map.of("asyncore.dispatchers.kvserver.address", "127.0.0.1:0"), Map.of()).close());
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("'asyncore.dispatchers.kvserver' matches several Dispatcher beans by Spring Boot's relaxed"
                    + " names (case, dashes and underscores aside): kvServer, kv_server.")
            .contains("Give those beans names that differ by more than case, dashes or underscores.");
    }

    @Test
    void aKeyForABeanThatAConditionLeftOutIsOnlyReported(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = run(SwitchableApplication.class,
                Map.of("asyncore.dispatchers.kvServer.address", "127.0.0.1:0",
                        "asyncore.dispatchers.tlsServer.address", "127.0.0.1:0"), Map.of())) {
            assertThat(context.getBean("kvServer", Dispatcher.class).isAccepting()).isTrue();
            assertThat(context.containsBean("tlsServer")).isFalse();
            assertThat(output).contains("asyncore.dispatchers.tlsServer names a bean that a condition left out"
                    + " (tlsServer: @ConditionalOnBooleanProperty (test.tls.enabled=true) did not find property"
                    + " 'test.tls.enabled'); its settings are unused");
        }
    }

    @Test
    void aBeanWithoutASocketIsReportedOnceTheApplicationIsReady(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run(KeyValueApplication.class, Map.of(), Map.of())) {
            assertThat(output).contains("Dispatcher bean 'kvServer' has no socket: set"
                    + " asyncore.dispatchers.kvServer.address to make it listen, or .remote-address to make it connect");
        }
    }

    static ConfigurableApplicationContext run(Class<?> source, Map<String, Object> file, Map<String, Object> variables) {
        return application(source, file, variables).run();
    }

    /**
     * The application with {@code file} as its configuration and {@code variables} as its environment
     * variables, read by Spring Boot's own rules for {@code systemEnvironment}.
     */
    static SpringApplication application(Class<?> source, Map<String, Object> file, Map<String, Object> variables) {
        SpringApplication application = new SpringApplication(source);
        application.setWebApplicationType(WebApplicationType.NONE);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables));
        environment.getPropertySources().addLast(new MapPropertySource("application.yml", file));
        application.setEnvironment(environment);
        return application;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class KeyValueApplication {

        @Bean
        EchoApplication.EchoServer kvServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        Dispatcher counter() {
            return new Dispatcher() {
                @Override
                public boolean readable() {
                    return false;
                }
            };
        }

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SwitchableApplication {

        @Bean
        EchoApplication.EchoServer kvServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        @ConditionalOnBooleanProperty("test.tls.enabled")
        EchoApplication.EchoServer tlsServer() {
            return new EchoApplication.EchoServer();
        }

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwinsApplication {

        @Bean
        EchoApplication.EchoServer kvServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        EchoApplication.EchoServer kv_server() {
            return new EchoApplication.EchoServer();
        }

    }

}
