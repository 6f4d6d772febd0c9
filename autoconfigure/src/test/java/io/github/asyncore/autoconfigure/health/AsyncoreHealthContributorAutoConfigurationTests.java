package io.github.asyncore.autoconfigure.health;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.boot.actuate.health.AsyncoreHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link AsyncoreHealthContributorAutoConfiguration}'s conditions. */
class AsyncoreHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(AsyncoreAutoConfiguration.class, AsyncoreHealthContributorAutoConfiguration.class));

    @Test
    void healthIndicatorIsPresentByDefaultAndUpOnceTheLoopsRun() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(AsyncoreHealthIndicator.class).hasBean("asyncoreHealthIndicator");
            assertThat(context.getBean(AsyncoreHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void healthIndicatorIsAbsentWhenDisabledByProperty() {
        this.contextRunner.withPropertyValues("management.health.asyncore.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(AsyncoreHealthIndicator.class));
    }

    @Test
    void healthIndicatorIsAbsentWhenDefaultHealthIndicatorsAreDisabled() {
        this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(AsyncoreHealthIndicator.class));
    }

    @Test
    void healthIndicatorBacksOffWhenUserProvidedOneNamedAsyncoreHealthIndicator() {
        this.contextRunner.withUserConfiguration(UserHealthIndicatorConfiguration.class).run((context) -> {
            assertThat(context).doesNotHaveBean(AsyncoreHealthIndicator.class);
            assertThat(context.getBean("asyncoreHealthIndicator", HealthIndicator.class).health().getStatus())
                .isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Test
    void healthIndicatorIsAbsentWhenSpringBootHealthIsMissing() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean("asyncoreHealthIndicator")
                .doesNotHaveBean("asyncoreLivenessGroupMembershipPostProcessor"));
    }

    @Test
    void healthIndicatorIsAbsentWhenAsyncoreIsDisabled() {
        this.contextRunner.withPropertyValues("asyncore.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncoreHealthIndicator.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHealthIndicatorConfiguration {

        @Bean
        HealthIndicator asyncoreHealthIndicator() {
            return () -> Health.outOfService().build();
        }

    }

}
