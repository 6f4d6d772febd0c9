package io.github.asyncore.autoconfigure.metrics;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
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
 * Auto-configuration of asyncore's Micrometer meters ({@link AsyncoreMetrics}), when Micrometer is
 * present and the application has a {@link MeterRegistry} and asyncore's loops. Spring Boot binds the
 * {@link MeterBinder} bean to its registries. Backs off to a user {@link AsyncoreMetrics} bean.
 */
@AutoConfiguration(after = { AsyncoreAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ EventLoopGroup.class, MeterRegistry.class })
public final class AsyncoreMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncoreMetrics asyncoreMetrics(EventLoopGroup eventLoopGroup) {
        return new AsyncoreMetrics(eventLoopGroup);
    }

}
