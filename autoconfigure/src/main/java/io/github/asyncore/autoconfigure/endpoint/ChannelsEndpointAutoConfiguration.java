package io.github.asyncore.autoconfigure.endpoint;

import java.util.Map;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.AsyncoreLifecycle;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpointWebExtension;
import io.github.asyncore.core.EventLoopGroup;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ChannelsEndpoint actuator endpoint "channels"} and its
 * {@link ChannelsEndpointWebExtension web extension}: on when the actuator is on the class path, the
 * endpoint is available (accessible and exposed) and asyncore's {@link EventLoopGroup} exists (so off
 * with {@code asyncore.enabled=false}). Each bean backs off when the application defines its own.
 */
@AutoConfiguration(after = AsyncoreAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(ChannelsEndpoint.class)
@ConditionalOnBean(EventLoopGroup.class)
public final class ChannelsEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ChannelsEndpoint channelsEndpoint(EventLoopGroup eventLoopGroup, ObjectProvider<AsyncoreLifecycle> lifecycle) {
        return new ChannelsEndpoint(eventLoopGroup, () -> {
            AsyncoreLifecycle asyncore = lifecycle.getIfUnique();
            return (asyncore != null) ? asyncore.clients() : Map.of();
        });
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ChannelsEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    ChannelsEndpointWebExtension channelsEndpointWebExtension(ChannelsEndpoint channelsEndpoint) {
        return new ChannelsEndpointWebExtension(channelsEndpoint);
    }

}
