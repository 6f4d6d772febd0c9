package io.github.asyncore.autoconfigure.console;

import java.util.function.Supplier;

import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * What the console may do with the {@code channels} endpoint, as the server resolves it: where the endpoint
 * is mapped over HTTP ({@code management.endpoints.web.base-path} and any path mapping applied), and whether
 * its delete operation is allowed ({@code management.endpoint.channels.access}, capped by
 * {@code management.endpoints.access.max-permitted}, as Spring Boot's {@link EndpointAccessResolver} reads
 * them). The page asks for this once instead of guessing paths.
 * <p>
 * Threads: any; it reads immutable actuator beans. The beans are looked up on each call, because in a
 * separate management context they live in the parent context and may be absent altogether (no web
 * endpoints, or an application without asyncore's endpoint).
 */
final class ChannelsEndpointAccess {

    static final EndpointId ID = EndpointId.of("channels");

    private final Supplier<@Nullable PathMappedEndpoints> endpoints;

    private final Supplier<@Nullable EndpointAccessResolver> access;

    /**
     * @param endpoints the endpoints exposed over the web, or a supplier of {@code null} when there are none
     * @param access the endpoints' access from the properties, or a supplier of {@code null} when absent
     */
    ChannelsEndpointAccess(Supplier<@Nullable PathMappedEndpoints> endpoints,
            Supplier<@Nullable EndpointAccessResolver> access) {
        this.endpoints = endpoints;
        this.access = access;
    }

    /**
     * @return the endpoint's path below the management server's root (such as {@code /actuator/channels}),
     *         or {@code null} when the endpoint is not exposed over the web
     */
    @Nullable String path() {
        PathMappedEndpoints endpoints = this.endpoints.get();
        return (endpoints != null) ? endpoints.getPath(ID) : null;
    }

    /**
     * @return the endpoint's access: {@link Access#UNRESTRICTED} is what allows its delete operation
     */
    Access access() {
        EndpointAccessResolver resolver = this.access.get();
        return (resolver != null) ? resolver.accessFor(ID, defaultAccess()) : Access.NONE;
    }

    /** @return whether the endpoint is exposed over the web and its access lets it close channels */
    boolean closeAllowed() {
        return path() != null && access() == Access.UNRESTRICTED;
    }

    /** The default the endpoint itself declares, so that the console follows the endpoint if it changes. */
    private static Access defaultAccess() {
        return MergedAnnotations.from(ChannelsEndpoint.class)
            .get(Endpoint.class)
            .getValue("defaultAccess", Access.class)
            .orElse(Access.READ_ONLY);
    }

}
