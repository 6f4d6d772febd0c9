package io.github.asyncore.autoconfigure.health;

import java.util.List;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code asyncore} contributor in Spring Boot's liveness group, with Boot's real health endpoint and
 * availability probe auto-configurations, ordered as an application orders them.
 */
class AsyncoreLivenessGroupTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class,
                AsyncoreHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                ApplicationAvailabilityAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
                AvailabilityProbesAutoConfiguration.class));

    @Test
    void livenessGroupIncludesAsyncoreBesideLivenessState() {
        this.contextRunner.withPropertyValues("management.endpoint.health.probes.enabled=true").run((context) -> {
            HealthEndpointGroup liveness = context.getBean(HealthEndpointGroups.class).get("liveness");
            assertThat(liveness).isNotNull();
            assertThat(liveness.isMember("asyncore")).isTrue();
            assertThat(liveness.isMember("livenessState")).isTrue();
            assertThat(liveness.isMember("readinessState")).isFalse();
        });
    }

    @Test
    void livenessGroupIncludesAsyncoreWithBootsDefaultProbeSetting() {
        // Spring Boot 4 enables probes unless management.endpoint.health.probes.enabled=false
        this.contextRunner.run((context) -> assertThat(
                context.getBean(HealthEndpointGroups.class).get("liveness").isMember("asyncore"))
            .isTrue());
    }

    @Test
    void readinessGroupDoesNotIncludeAsyncore() {
        this.contextRunner.withPropertyValues("management.endpoint.health.probes.enabled=true")
            .run((context) -> assertThat(
                    context.getBean(HealthEndpointGroups.class).get("readiness").isMember("asyncore"))
                .isFalse());
    }

    @Test
    void postProcessorRunsAfterSpringBootsProbeGroupsPostProcessor() {
        this.contextRunner.withPropertyValues("management.endpoint.health.probes.enabled=true").run((context) -> {
            List<HealthEndpointGroupsPostProcessor> postProcessors = context
                .getBeanProvider(HealthEndpointGroupsPostProcessor.class)
                .orderedStream()
                .toList();
            assertThat(postProcessors).extracting((postProcessor) -> postProcessor.getClass().getSimpleName())
                .containsExactly("AvailabilityProbesHealthEndpointGroupsPostProcessor",
                        "GroupMembershipPostProcessor", "GroupMembershipPostProcessor");
        });
    }

    @Test
    void noLivenessGroupWhenProbesAreDisabled() {
        this.contextRunner.withPropertyValues("management.endpoint.health.probes.enabled=false").run((context) -> {
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            assertThat(groups.getNames()).doesNotContain("liveness");
            assertThat(groups.get("liveness")).isNull();
        });
    }

    @Test
    void userConfiguredLivenessMembersAreRespected() {
        this.contextRunner
            .withPropertyValues("management.endpoint.health.probes.enabled=true",
                    "management.endpoint.health.group.liveness.include=livenessState")
            .run((context) -> {
                HealthEndpointGroup liveness = context.getBean(HealthEndpointGroups.class).get("liveness");
                assertThat(liveness.isMember("livenessState")).isTrue();
                assertThat(liveness.isMember("asyncore")).isFalse();
            });
    }

    @Test
    void userConfiguredLivenessExclusionsAreRespected() {
        this.contextRunner
            .withPropertyValues("management.endpoint.health.probes.enabled=true",
                    "management.endpoint.health.group.liveness.exclude=asyncore")
            .run((context) -> assertThat(
                    context.getBean(HealthEndpointGroups.class).get("liveness").isMember("asyncore"))
                .isFalse());
    }

    @Test
    void livenessGroupIsLeftAloneWhenTheAsyncoreHealthIndicatorIsDisabled() {
        this.contextRunner
            .withPropertyValues("management.endpoint.health.probes.enabled=true",
                    "management.health.asyncore.enabled=false")
            .run((context) -> {
                assertThat(context).doesNotHaveBean("asyncoreLivenessGroupMembershipPostProcessor");
                assertThat(context.getBean(HealthEndpointGroups.class).get("liveness").isMember("asyncore"))
                    .isFalse();
            });
    }

}
