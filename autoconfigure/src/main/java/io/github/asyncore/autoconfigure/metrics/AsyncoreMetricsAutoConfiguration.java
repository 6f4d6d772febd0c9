package io.github.asyncore.autoconfigure.metrics;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.event.ChannelEventsAutoConfiguration;
import io.github.asyncore.boot.actuate.metrics.AsyncoreMetrics;
import io.github.asyncore.boot.actuate.metrics.ChannelEventMetrics;
import io.github.asyncore.boot.event.ChannelEventPublisher;
import io.github.asyncore.core.EventLoopGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of asyncore's Micrometer meters ({@link AsyncoreMetrics}, and
 * {@link ChannelEventMetrics} when channel events are on), when Micrometer is present and the
 * application has a {@link MeterRegistry} and asyncore's loops. Spring Boot binds the {@link MeterBinder}
 * beans to its registries. Each backs off to a user bean of its type.
 */
@AutoConfiguration(after = { AsyncoreAutoConfiguration.class, ChannelEventsAutoConfiguration.class,
        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ EventLoopGroup.class, MeterRegistry.class })
public final class AsyncoreMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncoreMetrics asyncoreMetrics(EventLoopGroup eventLoopGroup) {
        return new AsyncoreMetrics(eventLoopGroup);
    }

    @Bean
    @ConditionalOnBean(ChannelEventPublisher.class)
    @ConditionalOnMissingBean
    ChannelEventMetrics asyncoreChannelEventMetrics(ChannelEventPublisher channelEventPublisher) {
        return new ChannelEventMetrics(channelEventPublisher);
    }

}
