package io.github.asyncore.autoconfigure;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.asyncore.boot.event.DispatchersStartedEvent;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.DrainReport;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.github.asyncore.core.ReconnectStatus;
import io.github.asyncore.core.Reconnector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Runs asyncore's loops for the life of the application context: once the context is refreshed it starts
 * one named thread per loop ({@code asyncore-0}, {@code asyncore-1}, ...), registers the dispatcher
 * beans, puts each bound port in the environment as {@code local.asyncore.dispatchers.<bean-name>.port}
 * (and the address as {@code ...address}), and publishes a {@link DispatchersStartedEvent}; on shutdown it
 * stops reconnecting the client beans, closes the listeners, stops reading, lets pending output drain for
 * up to {@code asyncore.shutdown.timeout}, then closes every channel. When the application is ready, it
 * warns about the dispatcher beans that still have no socket.
 * <p>
 * Phase {@link #PHASE}: below the web server's ({@code DEFAULT_PHASE - 2048}), so the loops start before
 * the web server and stop after it has finished its own graceful shutdown; HTTP requests still in flight
 * may use the loops until then.
 */
public class AsyncoreLifecycle implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

    /** The name of the property source holding {@code local.asyncore.dispatchers.*}. */
    public static final String PROPERTY_SOURCE_NAME = "asyncore.local";

    /** The prefix of the bound ports and addresses in the environment. */
    public static final String LOCAL_PROPERTY_PREFIX = "local.asyncore.dispatchers.";

    /** {@code SmartLifecycle.DEFAULT_PHASE - 3072}: started before, and stopped after, the web server. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    private static final Log logger = LogFactory.getLog(AsyncoreLifecycle.class);

    private final EventLoopGroup group;

    private final DispatcherRegistrar registrar;

    private final AsyncoreProperties properties;

    private final @Nullable ConfigurableEnvironment environment;

    private final ApplicationEventPublisher publisher;

    private volatile boolean running;

    private volatile boolean stopped;

    private volatile @Nullable StartedDispatchers started;

    /** Runs the TLS engines' handshake work off the loops; {@code null} when it runs on the loops. */
    private volatile @Nullable ThreadPoolTaskExecutor handshakes;

    AsyncoreLifecycle(EventLoopGroup group, DispatcherRegistrar registrar, AsyncoreProperties properties,
            Environment environment, ApplicationEventPublisher publisher) {
        this.group = group;
        this.registrar = registrar;
        this.properties = properties;
        this.environment = (environment instanceof ConfigurableEnvironment configurable) ? configurable : null;
        this.publisher = publisher;
    }

    @Override
    public void start() {
        if (this.stopped) {
            throw new IllegalStateException("asyncore cannot start again after it stopped: its dispatcher beans"
                    + " were closed; create a new application context instead");
        }
        if (this.environment != null) {
            UnknownProperties.check(this.environment);
        }
        this.handshakes = handshakeExecutor(this.properties.getLoop().getHandshakeThreads());
        for (ChannelMap map : this.group.maps()) {
            map.setHandshakeExecutor(this.handshakes);
            map.eventLoop().setSelectTimeout(this.properties.getLoop().getSelectTimeout());
            map.eventLoop().setStallThreshold(this.properties.getLoop().getStallThreshold());
            map.setMaxOutputMemory(this.properties.getLoop().getMaxOutputMemory().toBytes());
        }
        this.group.start();
        StartedDispatchers dispatchers;
        try {
            dispatchers = this.registrar.registerAll();
        }
        catch (RuntimeException ex) {
            this.group.close();
            throw ex;
        }
        this.started = dispatchers;
        this.running = true;
        Map<String, SocketAddress> local = dispatchers.localAddresses();
        publishLocalAddresses(local);
        Map<String, SocketAddress> remote = new LinkedHashMap<>();
        dispatchers.clients().forEach((name, client) -> remote.put(name, client.status().remote()));
        this.publisher.publishEvent(new DispatchersStartedEvent(this.group, local, remote));
    }

    private void publishLocalAddresses(Map<String, SocketAddress> addresses) {
        if (this.environment == null) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        addresses.forEach((name, address) -> {
            if (address instanceof InetSocketAddress inet) {
                properties.put(LOCAL_PROPERTY_PREFIX + name + ".port", inet.getPort());
            }
            properties.put(LOCAL_PROPERTY_PREFIX + name + ".address", Dispatcher.format(address));
        });
        MutablePropertySources sources = this.environment.getPropertySources();
        if (sources.get(PROPERTY_SOURCE_NAME) instanceof MapPropertySource existing) {
            existing.getSource().putAll(properties);
        }
        else {
            sources.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        StartedDispatchers dispatchers = this.started;
        if (dispatchers != null) {
            dispatchers.warnUnopened();
        }
    }

    /**
     * @return the client beans the starter connects, with their reconnection state, by bean name; empty
     *         before the loops start
     */
    public Map<String, ReconnectStatus> clients() {
        StartedDispatchers dispatchers = this.started;
        Map<String, ReconnectStatus> clients = new LinkedHashMap<>();
        if (dispatchers != null) {
            dispatchers.clients().forEach((name, client) -> clients.put(name, client.status()));
        }
        return clients;
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        this.stopped = true;
        stopClients();
        Duration timeout = this.properties.getShutdown().getTimeout();
        this.group.shutdownGracefully(timeout).whenComplete((report, failure) -> {
            if (failure != null) {
                logger.warn("asyncore shutdown failed", failure);
            }
            else {
                log(report);
            }
            stopHandshakes();
            callback.run();
        });
    }

    @Override
    public void stop() {
        this.running = false;
        this.stopped = true;
        stopClients();
        log(this.group.shutdownGracefully(this.properties.getShutdown().getTimeout()).join());
        stopHandshakes();
    }

    private void stopHandshakes() {
        ThreadPoolTaskExecutor executor = this.handshakes;
        if (executor != null) {
            executor.shutdown();
        }
    }

    private static @Nullable ThreadPoolTaskExecutor handshakeExecutor(int threads) {
        if (threads == 0) {
            return null;
        }
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(threads);
        executor.setMaxPoolSize(threads);
        executor.setAllowCoreThreadTimeOut(true);
        executor.setDaemon(true);
        executor.setThreadNamePrefix("asyncore-handshake-");
        executor.initialize();
        return executor;
    }

    /**
     * Not pausable: stopping closes the dispatcher beans, which cannot listen again, so a paused context
     * (Spring's test context cache pauses inactive contexts) could not restart. Like the web server, the
     * loops keep running while the context is paused.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void stopClients() {
        StartedDispatchers dispatchers = this.started;
        if (dispatchers != null) {
            dispatchers.stopClients();
        }
    }

    private void log(DrainReport report) {
        long read = 0;
        long written = 0;
        for (LoopSnapshot loop : this.group.loopSnapshots()) {
            read += loop.bytesRead();
            written += loop.bytesWritten();
        }
        logger.info("asyncore stopped in " + report.took().toMillis() + " ms: " + report.listenersClosed()
                + " listeners closed, " + report.drained() + " channels drained, " + report.aborted()
                + " aborted at the deadline with " + report.bytesUnsent() + " bytes unsent; " + read
                + " bytes read and " + written + " written in all");
    }

}
