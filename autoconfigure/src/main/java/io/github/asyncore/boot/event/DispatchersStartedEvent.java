package io.github.asyncore.boot.event;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.asyncore.core.EventLoopGroup;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published once asyncore's loops run and every dispatcher bean is registered: the listeners listen, the
 * datagram sockets are bound, and the client beans have started connecting. It is published
 * synchronously on the thread that starts the application context, before the context reports itself
 * started or ready, so a listener that reads a port here (as a test binding port 0 does) sees it before
 * any request is made. The same ports are in the environment as
 * {@code local.asyncore.dispatchers.<bean-name>.port}.
 * <p>
 * The maps are keyed by bean name, in registration order, and do not change.
 */
public class DispatchersStartedEvent extends ApplicationEvent {

    private final Map<String, SocketAddress> localAddresses;

    private final Map<String, SocketAddress> remoteAddresses;

    /**
     * @param group the loops the dispatchers run on
     * @param localAddresses the address each listener, datagram socket, or dispatcher with a socket of
     *        its own is bound to, by bean name
     * @param remoteAddresses the address each client bean connects to, by bean name
     */
    public DispatchersStartedEvent(EventLoopGroup group, Map<String, SocketAddress> localAddresses,
            Map<String, SocketAddress> remoteAddresses) {
        super(group);
        this.localAddresses = Collections.unmodifiableMap(new LinkedHashMap<>(localAddresses));
        this.remoteAddresses = Collections.unmodifiableMap(new LinkedHashMap<>(remoteAddresses));
    }

    /** @return the loops the dispatchers run on */
    public EventLoopGroup getEventLoopGroup() {
        return (EventLoopGroup) getSource();
    }

    /** @return the bound address of each dispatcher bean that has one, by bean name */
    public Map<String, SocketAddress> getLocalAddresses() {
        return this.localAddresses;
    }

    /** @return the address each client bean connects to, by bean name */
    public Map<String, SocketAddress> getRemoteAddresses() {
        return this.remoteAddresses;
    }

    /**
     * @param beanName a dispatcher bean's name
     * @return the TCP or UDP port it is bound to, or {@code null} when it has no bound address or a
     *         Unix-domain one
     */
    public @Nullable Integer getPort(String beanName) {
        return (this.localAddresses.get(beanName) instanceof InetSocketAddress inet) ? inet.getPort() : null;
    }

}
