package io.github.asyncore.autoconfigure.health;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.AsyncoreProperties;
import io.github.asyncore.boot.actuate.health.AsyncoreHealthIndicator;
import io.github.asyncore.boot.actuate.health.AsyncoreReadinessHealthIndicator;
import io.github.asyncore.core.EventLoopGroup;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@code asyncore} health contributor ({@link AsyncoreHealthIndicator}), when
 * spring-boot-health is present and asyncore's loops exist. Switched off by
 * {@code management.health.asyncore.enabled=false} (or {@code management.health.defaults.enabled=false});
 * backs off to a user bean named {@code asyncoreHealthIndicator}.
 * <p>
 * When the actuator's health endpoint has a {@code liveness} group (availability probes, on by default
 * in Spring Boot 4: {@code management.endpoint.health.probes.enabled}), the contributor becomes a member
 * of it, so that a dead or stalled loop fails the liveness probe, unless the user set the group's
 * members ({@code management.endpoint.health.group.liveness.include} or {@code .exclude}).
 * <p>
 * The {@code asyncoreReadiness} contributor ({@link AsyncoreReadinessHealthIndicator}: saturation, see
 * {@code asyncore.readiness.*}) joins the {@code readiness} group the same way, and never the liveness
 * one: a saturated service is alive. {@code asyncore.readiness.enabled=false} (or
 * {@code management.health.asyncore-readiness.enabled=false}) switches it off.
 */
@AutoConfiguration(after = { AsyncoreAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
        AvailabilityProbesAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(EventLoopGroup.class)
public final class AsyncoreHealthContributorAutoConfiguration {

    /** The contributor's name in {@code /actuator/health} and in health groups. */
    public static final String CONTRIBUTOR_NAME = "asyncore";

    /** The saturation contributor's name in {@code /actuator/health} and in the readiness group. */
    public static final String READINESS_CONTRIBUTOR_NAME = "asyncoreReadiness";

    @Bean
    @ConditionalOnEnabledHealthIndicator(CONTRIBUTOR_NAME)
    @ConditionalOnMissingBean(name = "asyncoreHealthIndicator")
    AsyncoreHealthIndicator asyncoreHealthIndicator(EventLoopGroup eventLoopGroup) {
        return new AsyncoreHealthIndicator(eventLoopGroup);
    }

    @Bean
    @ConditionalOnEnabledHealthIndicator("asyncore-readiness")
    @ConditionalOnBooleanProperty(name = "asyncore.readiness.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean(name = "asyncoreReadinessHealthIndicator")
    AsyncoreReadinessHealthIndicator asyncoreReadinessHealthIndicator(EventLoopGroup eventLoopGroup,
            AsyncoreProperties properties) {
        AsyncoreProperties.Readiness readiness = properties.getReadiness();
        return new AsyncoreReadinessHealthIndicator(eventLoopGroup, readiness.getBusyThreshold(),
                readiness.getBusyDuration());
    }

    /**
     * The probe groups' membership, only with the health endpoint (which needs the actuator). It must be
     * registered after Spring Boot's probe groups post-processor; see {@link GroupMembershipPostProcessor}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static final class ProbeGroupsConfiguration {

        @Bean
        @ConditionalOnEnabledHealthIndicator(CONTRIBUTOR_NAME)
        HealthEndpointGroupsPostProcessor asyncoreLivenessGroupMembershipPostProcessor(Environment environment) {
            return membership(environment, GroupMembershipPostProcessor.LIVENESS, CONTRIBUTOR_NAME);
        }

        @Bean
        @ConditionalOnEnabledHealthIndicator("asyncore-readiness")
        @ConditionalOnBooleanProperty(name = "asyncore.readiness.enabled", matchIfMissing = true)
        HealthEndpointGroupsPostProcessor asyncoreReadinessGroupMembershipPostProcessor(Environment environment) {
            return membership(environment, GroupMembershipPostProcessor.READINESS, READINESS_CONTRIBUTOR_NAME);
        }

        private static GroupMembershipPostProcessor membership(Environment environment, String group,
                String contributor) {
            Binder binder = Binder.get(environment);
            String prefix = "management.endpoint.health.group." + group;
            boolean configured = binder.bind(prefix + ".include", Bindable.setOf(String.class)).isBound()
                    || binder.bind(prefix + ".exclude", Bindable.setOf(String.class)).isBound();
            return new GroupMembershipPostProcessor(group, contributor, configured);
        }

    }

}
