package io.github.asyncore.autoconfigure.endpoint;

import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpointWebExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code channels} endpoint over JMX, as Spring Boot exposes its own endpoints there: the operations
 * and their JSON-shaped answers, without the web extension.
 */
class ChannelsEndpointJmxIntegrationTests {

    private static final String STRING = String.class.getName();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, EndpointAutoConfiguration.class,
                JacksonEndpointAutoConfiguration.class, JmxEndpointAutoConfiguration.class,
                AsyncoreAutoConfiguration.class, ChannelsEndpointAutoConfiguration.class))
        .withBean("echoServer", EchoApplication.EchoServer.class)
        .withPropertyValues("spring.jmx.enabled=true", "spring.jmx.unique-names=true",
                "management.endpoints.jmx.exposure.include=channels",
                "management.endpoint.channels.access=UNRESTRICTED",
                "asyncore.dispatchers.echoServer.address=127.0.0.1:0");

    @Test
    @SuppressWarnings("unchecked")
    void operationsAreAvailableOverJmx() {
        this.contextRunner.run((context) -> {
            assertThat(context).doesNotHaveBean(ChannelsEndpointWebExtension.class);
            MBeanServer server = context.getBean(MBeanServer.class);
            Set<ObjectName> names = server.queryNames(new ObjectName("*:type=Endpoint,name=Channels,*"), null);
            assertThat(names).hasSize(1);
            ObjectName endpoint = names.iterator().next();
            long listenerId = context.getBean(EchoApplication.EchoServer.class).id();

            Map<String, Object> all = (Map<String, Object>) server.invoke(endpoint, "channels",
                    new Object[] { null, null }, new String[] { STRING, STRING });
            List<Map<String, Object>> loops = (List<Map<String, Object>>) all.get("loops");
            assertThat(loops).singleElement().satisfies((loop) -> assertThat(loop).containsEntry("name", "asyncore-0"));
            List<Map<String, Object>> channels = (List<Map<String, Object>>) all.get("channels");
            assertThat(channels).singleElement().satisfies((channel) -> assertThat(channel)
                .containsEntry("name", "echoServer")
                .containsEntry("kind", "LISTENER"));

            Map<String, Object> listeners = (Map<String, Object>) server.invoke(endpoint, "channels",
                    new Object[] { "listener", null }, new String[] { STRING, STRING });
            assertThat((List<?>) listeners.get("channels")).hasSize(1);

            Map<String, Object> closed = (Map<String, Object>) server.invoke(endpoint, "closeChannel",
                    new Object[] { listenerId }, new String[] { long.class.getName() });
            assertThat(closed).containsEntry("state", "LISTENING");
            EventLoopGroup group = context.getBean(EventLoopGroup.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.snapshot(listenerId).isEmpty());
            assertThat(server.invoke(endpoint, "channel", new Object[] { listenerId },
                    new String[] { long.class.getName() })).isNull();
        });
    }

}
