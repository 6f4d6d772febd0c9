package io.github.asyncore.autoconfigure.console;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The operator's console on the management server, with {@code asyncore.console.enabled=true}. It is a
 * management context configuration rather than an auto-configuration so that it lands where the actuator
 * lands: in the management server's own (child) context when {@code management.server.port} differs from
 * the application's port, in the application's context otherwise. Either way its routes are served by the
 * same dispatcher servlet as the actuator's endpoints, so {@code management.server.base-path} and the
 * servlet path apply to both alike.
 * <p>
 * Spring MVC only: a reactive (WebFlux) application gets no console.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("asyncore.console.enabled")
public final class ConsoleManagementContextConfiguration {

    @Bean
    RouterFunction<ServerResponse> asyncoreConsoleRoutes(ObjectProvider<PathMappedEndpoints> endpoints,
            ObjectProvider<EndpointAccessResolver> access) {
        ChannelsEndpointAccess channels = new ChannelsEndpointAccess(endpoints::getIfAvailable,
                access::getIfAvailable);
        return new ConsoleRoutes(ConsoleAssets.load(), channels).routes();
    }

}
