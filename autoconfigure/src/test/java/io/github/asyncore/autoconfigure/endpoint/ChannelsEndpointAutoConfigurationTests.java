package io.github.asyncore.autoconfigure.endpoint;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpointWebExtension;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChannelsEndpointAutoConfiguration}.
 */
class ChannelsEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(AsyncoreAutoConfiguration.class, ChannelsEndpointAutoConfiguration.class));

    @Test
    void endpointIsAvailableWhenExposed() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=channels")
            .run((context) -> assertThat(context).hasSingleBean(ChannelsEndpoint.class)
                .hasSingleBean(ChannelsEndpointWebExtension.class));
    }

    @Test
    void endpointIsNotAvailableWhenNotExposed() {
        this.contextRunner.run((context) -> assertThat(context).hasSingleBean(EventLoopGroup.class)
            .doesNotHaveBean(ChannelsEndpoint.class)
            .doesNotHaveBean(ChannelsEndpointWebExtension.class));
    }

    @Test
    void endpointIsNotAvailableWhenAccessIsNone() {
        this.contextRunner
            .withPropertyValues("management.endpoints.web.exposure.include=channels",
                    "management.endpoint.channels.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(ChannelsEndpoint.class)
                .doesNotHaveBean(ChannelsEndpointWebExtension.class));
    }

    @Test
    void webExtensionIsNotAvailableWhenEndpointIsOnlyExposedOverJmx() {
        this.contextRunner
            .withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=channels")
            .run((context) -> assertThat(context).hasSingleBean(ChannelsEndpoint.class)
                .doesNotHaveBean(ChannelsEndpointWebExtension.class));
    }

    @Test
    void endpointBacksOffWhenUserProvidedEndpointIsPresent() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=channels")
            .withUserConfiguration(CustomEndpointConfiguration.class)
            .run((context) -> assertThat(context).hasSingleBean(ChannelsEndpoint.class)
                .getBean(ChannelsEndpoint.class)
                .isSameAs(context.getBean(CustomEndpointConfiguration.class).endpoint));
    }

    @Test
    void endpointIsNotAvailableWhenActuatorIsAbsent() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=channels")
            .withClassLoader(new FilteredClassLoader(Endpoint.class))
            .run((context) -> assertThat(context).hasSingleBean(EventLoopGroup.class)
                .doesNotHaveBean(ChannelsEndpoint.class));
    }

    @Test
    void endpointIsNotAvailableWhenAsyncoreIsDisabled() {
        this.contextRunner
            .withPropertyValues("management.endpoints.web.exposure.include=channels", "asyncore.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EventLoopGroup.class)
                .doesNotHaveBean(ChannelsEndpoint.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomEndpointConfiguration {

        private final ChannelsEndpoint endpoint = new ChannelsEndpoint(new EventLoopGroup("custom", 1));

        @Bean
        ChannelsEndpoint customChannelsEndpoint() {
            return this.endpoint;
        }

    }

}
