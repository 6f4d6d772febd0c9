package io.github.asyncore.autoconfigure.health;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.Ordered;

/**
 * Makes one health contributor a member of the {@code liveness} group, when that group exists and the
 * user did not choose its members ({@code management.endpoint.health.group.liveness.include} or
 * {@code .exclude}). Every other group, and everything else about the liveness group (status
 * aggregation, HTTP codes, details, its additional path such as {@code /livez}), is left as it was.
 * <p>
 * Spring Boot creates the liveness group itself in its own post-processor
 * ({@code AvailabilityProbesHealthEndpointGroupsPostProcessor}, {@code @Order(LOWEST_PRECEDENCE)}), so
 * this one must see the groups after it. Both have the lowest precedence, and Boot applies
 * post-processors of equal order in the order their beans were registered: this one is registered by
 * an auto-configuration ordered after {@code AvailabilityProbesAutoConfiguration}, hence later.
 * <p>
 * Threads: called once, while the context starts; the groups it returns are immutable and may be read
 * from any thread.
 */
final class LivenessGroupMembershipPostProcessor implements HealthEndpointGroupsPostProcessor, Ordered {

    /** The name of Spring Boot's liveness probe group. */
    static final String LIVENESS = "liveness";

    private final String contributorName;

    private final boolean membershipConfigured;

    /**
     * @param contributorName the health contributor to add to the liveness group
     * @param membershipConfigured whether the user chose the liveness group's members: then it is left
     *        alone
     */
    LivenessGroupMembershipPostProcessor(String contributorName, boolean membershipConfigured) {
        this.contributorName = contributorName;
        this.membershipConfigured = membershipConfigured;
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        if (this.membershipConfigured) {
            return groups;
        }
        HealthEndpointGroup liveness = groups.get(LIVENESS);
        if (liveness == null || liveness.isMember(this.contributorName)) {
            return groups;
        }
        return new Groups(groups, new MemberAddedGroup(liveness, this.contributorName));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The groups as they were, but with the liveness group replaced. */
    private static final class Groups implements HealthEndpointGroups, AdditionalPathsMapper {

        private final HealthEndpointGroups delegate;

        private final HealthEndpointGroup liveness;

        Groups(HealthEndpointGroups delegate, HealthEndpointGroup liveness) {
            this.delegate = delegate;
            this.liveness = liveness;
        }

        @Override
        public HealthEndpointGroup getPrimary() {
            return this.delegate.getPrimary();
        }

        @Override
        public Set<String> getNames() {
            return this.delegate.getNames();
        }

        @Override
        public @Nullable HealthEndpointGroup get(String name) {
            return LIVENESS.equals(name) ? this.liveness : this.delegate.get(name);
        }

        @Override
        public @Nullable List<String> getAdditionalPaths(EndpointId endpointId,
                WebServerNamespace webServerNamespace) {
            // Boot's probe groups map /livez and /readyz this way; keep that working
            return (this.delegate instanceof AdditionalPathsMapper mapper)
                    ? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
        }

    }

    /** A group with one more member; the rest is the original group's. */
    private static final class MemberAddedGroup implements HealthEndpointGroup {

        private final HealthEndpointGroup delegate;

        private final String member;

        MemberAddedGroup(HealthEndpointGroup delegate, String member) {
            this.delegate = delegate;
            this.member = member;
        }

        @Override
        public boolean isMember(String name) {
            return this.member.equals(name) || this.delegate.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return this.delegate.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return this.delegate.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return this.delegate.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return this.delegate.getHttpCodeStatusMapper();
        }

        @Override
        public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
            return this.delegate.getAdditionalPath();
        }

    }

}
