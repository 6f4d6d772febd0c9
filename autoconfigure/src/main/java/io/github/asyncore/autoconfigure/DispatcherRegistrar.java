package io.github.asyncore.autoconfigure;

import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.StreamSupport;

import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.Reconnector;
import io.github.asyncore.core.SocketType;
import io.github.asyncore.core.TlsSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.util.ClassUtils;

/**
 * Puts every {@link Dispatcher} bean to work on start-up. It first checks that every key under
 * {@code asyncore.dispatchers} names one dispatcher bean ({@link DispatcherNames}). Then, in order
 * ({@code @Order} or {@code Ordered} first, then bean definition order; every client bean after every other
 * bean, so that a client of a listener in the same application finds it open), on the acceptor loop's thread,
 * each bean is named after itself, gets its settings from {@link DispatcherSettings#of}
 * and, when {@code asyncore.dispatchers.<bean-name>.address} is set, opens its socket there: a stream
 * socket listens, a datagram socket binds. A bean with a {@code remote-address} is a client: a
 * {@link Reconnector} connects it, and connects it again after a failure when {@code reconnect.enabled}.
 * A bean whose {@code ssl.bundle} is set speaks TLS ({@link DispatcherTls}): as a server when it has an
 * address (or already listens on a socket of its own), else as a client. A bean made without a map
 * therefore joins the acceptor loop's map.
 */
class DispatcherRegistrar {

    private static final Log logger = LogFactory.getLog(DispatcherRegistrar.class);

    private static final long START_TIMEOUT_SECONDS = 30;

    private final ConfigurableListableBeanFactory beanFactory;

    private final AsyncoreProperties properties;

    private final EventLoopGroup group;

    private final DispatcherTls tls;

    DispatcherRegistrar(ConfigurableListableBeanFactory beanFactory, AsyncoreProperties properties,
            EventLoopGroup group, DispatcherTls tls) {
        this.beanFactory = beanFactory;
        this.properties = properties;
        this.group = group;
        this.tls = tls;
    }

    /**
     * Registers every dispatcher bean; the loops must be running.
     * @return what was started, by bean name
     * @throws AsyncoreConfigurationException when a key under {@code asyncore.dispatchers} names no
     *         dispatcher bean, or several
     * @throws DispatcherStartException naming the first bean that could not start
     */
    StartedDispatchers registerAll() {
        List<NamedDispatcher> dispatchers = dispatcherBeans();
        DispatcherNames.check(dispatchers.stream().map(NamedDispatcher::name).toList(),
                this.properties.getDispatchers().keySet(), beansLeftOut());
        StartedDispatchers started = new StartedDispatchers();
        try {
            // listeners first, then the clients: a client of a listener in the same application connects at once
            for (NamedDispatcher dispatcher : dispatchers) {
                if (!isClient(dispatcher.name())) {
                    register(dispatcher.name(), dispatcher.dispatcher(), started);
                }
            }
            for (NamedDispatcher dispatcher : dispatchers) {
                if (isClient(dispatcher.name())) {
                    register(dispatcher.name(), dispatcher.dispatcher(), started);
                }
            }
        }
        catch (RuntimeException ex) {
            started.stopClients();
            throw ex;
        }
        return started;
    }

    /**
     * The beans that conditions left out, by the name they would have had (a {@code @Bean} method's name,
     * or a component's decapitalized class name), with the first condition that did not match, from
     * Spring Boot's condition evaluation report.
     */
    private Map<String, String> beansLeftOut() {
        Map<String, String> leftOut = new LinkedHashMap<>();
        ConditionEvaluationReport.get(this.beanFactory).getConditionAndOutcomesBySource().forEach((source, outcomes) -> {
            if (outcomes.isFullMatch()) {
                return;
            }
            int hash = source.indexOf('#');
            String name = (hash >= 0) ? source.substring(hash + 1)
                    : Introspector.decapitalize(ClassUtils.getShortName(source));
            String reason = StreamSupport.stream(outcomes.spliterator(), false)
                .filter((outcome) -> !outcome.getOutcome().isMatch())
                .map((outcome) -> outcome.getOutcome().getMessage())
                .findFirst()
                .orElse("a condition did not match");
            leftOut.putIfAbsent(name, reason);
        });
        return leftOut;
    }

    private List<NamedDispatcher> dispatcherBeans() {
        List<NamedDispatcher> dispatchers = new ArrayList<>();
        for (String name : this.beanFactory.getBeanNamesForType(Dispatcher.class, true, false)) {
            if (!this.beanFactory.containsBeanDefinition(name) || createdAtStartUp(this.beanFactory.getBeanDefinition(name))) {
                dispatchers.add(new NamedDispatcher(name, this.beanFactory.getBean(name, Dispatcher.class)));
            }
        }
        dispatchers.sort(Comparator.comparing(NamedDispatcher::name, beanOrder()));
        return dispatchers;
    }

    /**
     * Orders bean names as Spring orders beans it injects as a list: by {@code @Order} on the class or on
     * its {@code @Bean} method, or {@code Ordered}; unordered beans last, in definition order.
     */
    private Comparator<Object> beanOrder() {
        return AnnotationAwareOrderComparator.INSTANCE.withSourceProvider((name) -> {
            if (!this.beanFactory.containsBeanDefinition((String) name)) {
                return null;
            }
            BeanDefinition definition = this.beanFactory.getMergedBeanDefinition((String) name);
            if (definition instanceof RootBeanDefinition root) {
                Method factoryMethod = root.getResolvedFactoryMethod();
                Class<?> type = root.getTargetType();
                return (factoryMethod != null) ? new Object[] { factoryMethod, type } : type;
            }
            return null;
        });
    }

    private static boolean createdAtStartUp(BeanDefinition definition) {
        return definition.isSingleton() || definition.isPrototype();
    }

    private void register(String name, Dispatcher dispatcher, StartedDispatchers started) {
        AsyncoreProperties.DispatcherBean overrides = DispatcherSettings.find(this.properties, name);
        String address = (overrides != null) ? overrides.getAddress() : null;
        String remoteAddress = (overrides != null) ? overrides.getRemoteAddress() : null;
        boolean server = address != null || dispatcher.isAccepting(); // listening here, or on a socket of its own
        TlsSettings tlsSettings;
        try {
            tlsSettings = this.tls.settingsFor(name, server);
        }
        catch (RuntimeException ex) {
            throw new DispatcherStartException(name, address, "asyncore.dispatchers." + name + ".ssl.bundle", ex);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        this.group.acceptor().eventLoop().execute(() -> {
            try {
                open(name, dispatcher, overrides, address, tlsSettings);
                if (remoteAddress != null && overrides != null) {
                    started.client(name, connect(name, dispatcher, overrides, remoteAddress, tlsSettings));
                }
                else if (dispatcher.getLocalAddress() != null) {
                    started.bound(name, dispatcher.getLocalAddress());
                }
                else {
                    started.unopened(name, dispatcher);
                }
                done.complete(null);
            }
            catch (Throwable ex) {
                done.completeExceptionally(ex);
            }
        });
        try {
            done.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            if (address == null && remoteAddress != null) {
                throw new DispatcherStartException(name, remoteAddress,
                        "asyncore.dispatchers." + name + ".remote-address", ex.getCause());
            }
            throw new DispatcherStartException(name, address, ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new DispatcherStartException(name, address, new IOException(
                    "the event loop did not start the dispatcher within " + START_TIMEOUT_SECONDS + " s"));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new DispatcherStartException(name, address, ex);
        }
        if (tlsSettings != null) {
            this.tls.followUpdates(name, dispatcher, server);
        }
    }

    /** Runs on the acceptor loop's thread. */
    private void open(String name, Dispatcher dispatcher, AsyncoreProperties.@Nullable DispatcherBean overrides,
            @Nullable String address, @Nullable TlsSettings tlsSettings) throws IOException {
        dispatcher.setName(name);
        dispatcher.setSettings(DispatcherSettings.of(this.properties, name));
        if (tlsSettings != null) {
            dispatcher.setTls(tlsSettings);
        }
        if (!this.group.maps().contains(dispatcher.map())) {
            logger.warn("Dispatcher bean '" + name + "' joined " + dispatcher.map()
                    + ", which asyncore's loops do not serve: create it without a map, or with the ChannelMap bean");
        }
        if (address == null || overrides == null) {
            return;
        }
        if (dispatcher.hasSocket()) {
            throw new IllegalStateException("the bean opened a socket of its own (" + dispatcher
                    + ") and asyncore.dispatchers." + name + ".address asks for another one");
        }
        SocketType type = overrides.getType();
        SocketAddress socketAddress = SocketAddresses.parse(address, type);
        dispatcher.createSocket(SocketAddresses.family(socketAddress), type);
        try {
            if (type == SocketType.STREAM) {
                dispatcher.setReuseAddr();
                dispatcher.bind(socketAddress);
                dispatcher.listen(overrides.getBacklog());
            }
            else {
                dispatcher.bind(socketAddress);
            }
        }
        catch (IOException | RuntimeException ex) {
            dispatcher.close();
            throw ex;
        }
        logger.info("Dispatcher bean '" + name + "' " + ((type == SocketType.STREAM) ? "listening on " : "bound to ")
                + Dispatcher.format(dispatcher.getLocalAddress()) + " (" + dispatcher.map().name() + ")"
                + ((tlsSettings != null) ? " with TLS from SSL bundle '" + overrides.getSsl().getBundle() + "'" : ""));
    }

    private boolean isClient(String name) {
        AsyncoreProperties.DispatcherBean overrides = DispatcherSettings.find(this.properties, name);
        return overrides != null && overrides.getRemoteAddress() != null;
    }

    /**
     * Starts connecting a client bean; runs on the acceptor loop's thread, and the connect completes
     * through the loop.
     */
    private Reconnector connect(String name, Dispatcher dispatcher, AsyncoreProperties.DispatcherBean overrides,
            String remoteAddress, @Nullable TlsSettings tlsSettings) {
        if (dispatcher.hasSocket()) {
            throw new IllegalStateException("the bean opened a socket of its own (" + dispatcher
                    + ") and asyncore.dispatchers." + name + ".remote-address asks for another one");
        }
        SocketType type = overrides.getType();
        SocketAddress remote = SocketAddresses.parseRemote(remoteAddress, type);
        Reconnector reconnector = new Reconnector(dispatcher, remote, type, DispatcherSettings.reconnectPolicy(overrides.getReconnect()));
        reconnector.start();
        logger.info("Dispatcher bean '" + name + "' connecting to " + Dispatcher.format(remote) + " ("
                + dispatcher.map().name() + ")"
                + ((tlsSettings != null) ? " with TLS from SSL bundle '" + overrides.getSsl().getBundle() + "'" : "")
                + (overrides.getReconnect().isEnabled() ? ", reconnecting when the connection fails or is lost" : ""));
        return reconnector;
    }

    private record NamedDispatcher(String name, Dispatcher dispatcher) {
    }

}
