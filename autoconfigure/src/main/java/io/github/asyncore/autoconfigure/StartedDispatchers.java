package io.github.asyncore.autoconfigure;

import java.net.SocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.Reconnector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What {@link DispatcherRegistrar} started, by bean name, in registration order: the addresses the
 * listeners and datagram sockets are bound to, the clients it connects, and the beans it opened nothing
 * for. Filled in on the acceptor loop's thread, one bean at a time, each handed over to the starting
 * thread through a future; read afterwards on any thread.
 */
final class StartedDispatchers {

    private static final Log logger = LogFactory.getLog(StartedDispatchers.class);

    private final Map<String, SocketAddress> localAddresses = Collections.synchronizedMap(new LinkedHashMap<>());

    private final Map<String, Reconnector> clients = Collections.synchronizedMap(new LinkedHashMap<>());

    private final Map<String, Dispatcher> unopened = Collections.synchronizedMap(new LinkedHashMap<>());

    void bound(String name, SocketAddress address) {
        this.localAddresses.put(name, address);
    }

    void client(String name, Reconnector reconnector) {
        this.clients.put(name, reconnector);
    }

    void unopened(String name, Dispatcher dispatcher) {
        this.unopened.put(name, dispatcher);
    }

    /** @return the bound address of each listener, datagram socket and bean with a socket of its own */
    Map<String, SocketAddress> localAddresses() {
        synchronized (this.localAddresses) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(this.localAddresses));
        }
    }

    /** @return the client beans the starter connects, with their reconnectors */
    Map<String, Reconnector> clients() {
        synchronized (this.clients) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(this.clients));
        }
    }

    /** Stops reconnecting every client: the application is stopping, or failed to start. */
    void stopClients() {
        clients().values().forEach(Reconnector::stop);
    }

    /**
     * Warns about the beans that still have no socket once the application is ready: asyncore opened
     * none for them (no {@code address}, no {@code remote-address}), and they opened none themselves,
     * so they serve nothing. A bean that opened one and closed it since is not reported.
     */
    void warnUnopened() {
        synchronized (this.unopened) {
            this.unopened.forEach((name, dispatcher) -> {
                if (!dispatcher.hasSocket() && !dispatcher.isClosed()) {
                    logger.warn("Dispatcher bean '" + name + "' has no socket: set asyncore.dispatchers." + name
                            + ".address to make it listen, or .remote-address to make it connect; until it opens"
                            + " a socket itself, it serves nothing");
                }
            });
        }
    }

}
