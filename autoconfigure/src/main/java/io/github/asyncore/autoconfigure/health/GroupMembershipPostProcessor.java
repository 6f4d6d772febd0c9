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
 * Makes one health contributor a member of one probe group ({@code liveness} or {@code readiness}), when
 * that group exists and the user did not choose its members
 * ({@code management.endpoint.health.group.<group>.include} or {@code .exclude}). Every other group, and
 * everything else about this one (status aggregation, HTTP codes, details, its additional path such as
 * {@code /livez}), is left as it was.
 * <p>
 * Spring Boot creates the probe groups itself in its own post-processor
 * ({@code AvailabilityProbesHealthEndpointGroupsPostProcessor}, {@code @Order(LOWEST_PRECEDENCE)}), so
 * this one must see the groups after it. Both have the lowest precedence, and Boot applies
 * post-processors of equal order in the order their beans were registered: this one is registered by
 * an auto-configuration ordered after {@code AvailabilityProbesAutoConfiguration}, hence later.
 * <p>
 * Threads: called once, while the context starts; the groups it returns are immutable and may be read
 * from any thread.
 */
final class GroupMembershipPostProcessor implements HealthEndpointGroupsPostProcessor, Ordered {

    /** The name of Spring Boot's liveness probe group. */
    static final String LIVENESS = "liveness";

    /** The name of Spring Boot's readiness probe group. */
    static final String READINESS = "readiness";

    private final String group;

    private final String contributorName;

    private final boolean membershipConfigured;

    /**
     * @param group the group to add the contributor to
     * @param contributorName the health contributor to add
     * @param membershipConfigured whether the user chose the group's members: then it is left alone
     */
    GroupMembershipPostProcessor(String group, String contributorName, boolean membershipConfigured) {
        this.group = group;
        this.contributorName = contributorName;
        this.membershipConfigured = membershipConfigured;
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        if (this.membershipConfigured) {
            return groups;
        }
        HealthEndpointGroup target = groups.get(this.group);
        if (target == null || target.isMember(this.contributorName)) {
            return groups;
        }
        return new Groups(groups, this.group, new MemberAddedGroup(target, this.contributorName));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The groups as they were, but with one group replaced. */
    private static final class Groups implements HealthEndpointGroups, AdditionalPathsMapper {

        private final HealthEndpointGroups delegate;

        private final String name;

        private final HealthEndpointGroup replaced;

        Groups(HealthEndpointGroups delegate, String name, HealthEndpointGroup replaced) {
            this.delegate = delegate;
            this.name = name;
            this.replaced = replaced;
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
            return this.name.equals(name) ? this.replaced : this.delegate.get(name);
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
