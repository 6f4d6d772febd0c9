package io.github.asyncore.autoconfigure.metrics;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.boot.actuate.metrics.AsyncoreMetrics;
import io.github.asyncore.core.EventLoopGroup;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link AsyncoreMetricsAutoConfiguration}'s conditions. */
class AsyncoreMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class,
                AsyncoreMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class));

    @Test
    void metricsArePresentByDefaultAndBoundToTheRegistry() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(AsyncoreMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("asyncore.loop.stalls").tag("loop", "asyncore-0").functionCounter()).isNotNull();
            assertThat(registry.get("asyncore.handler.duration").tag("loop", "asyncore-0").functionTimer()).isNotNull();
        });
    }

    @Test
    void metricsFollowEveryLoopOfTheGroup() {
        this.contextRunner.withPropertyValues("asyncore.loop.threads=3")
            .run((context) -> assertThat(
                    context.getBean(MeterRegistry.class).get("asyncore.loop.stalls").functionCounters())
                .hasSize(3));
    }

    @Test
    void metricsBackOffWhenUserProvidedAsyncoreMetrics() {
        this.contextRunner.withUserConfiguration(UserMetricsConfiguration.class)
            .run((context) -> assertThat(context).hasSingleBean(AsyncoreMetrics.class).hasBean("userMetrics"));
    }

    @Test
    void metricsAreAbsentWhenMicrometerIsMissing() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("asyncoreMetrics"));
    }

    @Test
    void metricsAreAbsentWhenAsyncoreIsDisabled() {
        this.contextRunner.withPropertyValues("asyncore.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncoreMetrics.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        @Bean
        AsyncoreMetrics userMetrics(EventLoopGroup group) {
            return new AsyncoreMetrics(group);
        }

    }

}
