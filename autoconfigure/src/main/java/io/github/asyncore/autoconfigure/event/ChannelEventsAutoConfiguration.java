package io.github.asyncore.autoconfigure.event;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.AsyncoreProperties;
import io.github.asyncore.boot.event.ChannelEventPublisher;
import io.github.asyncore.core.EventLoopGroup;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of asyncore's channel events: a {@link ChannelEventPublisher} that listens to every
 * loop of the {@link EventLoopGroup} and publishes {@link ChannelEvent}s to the application context. On by
 * default; {@code asyncore.events.enabled=false} leaves the loops without any listener. Backs off to a
 * user {@link ChannelEventPublisher} bean.
 */
@AutoConfiguration(after = AsyncoreAutoConfiguration.class)
@ConditionalOnBean({ EventLoopGroup.class, AsyncoreProperties.class })
@ConditionalOnBooleanProperty(name = "asyncore.events.enabled", matchIfMissing = true)
public final class ChannelEventsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ChannelEventPublisher asyncoreChannelEventPublisher(EventLoopGroup eventLoopGroup,
            ApplicationEventPublisher applicationEventPublisher, AsyncoreProperties properties) {
        return new ChannelEventPublisher(eventLoopGroup, applicationEventPublisher,
                properties.getEvents().getQueueCapacity());
    }

}
