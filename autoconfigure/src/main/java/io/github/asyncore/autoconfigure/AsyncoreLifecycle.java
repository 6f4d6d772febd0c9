package io.github.asyncore.autoconfigure;

import java.time.Duration;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.DrainReport;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs asyncore's loops for the life of the application context: once the context is refreshed it starts
 * one named thread per loop ({@code asyncore-0}, {@code asyncore-1}, ...) and registers the dispatcher
 * beans; on shutdown it closes the listeners, stops reading, lets pending output drain for up to
 * {@code asyncore.shutdown.timeout}, then closes every channel.
 * <p>
 * Phase {@link #PHASE}: below the web server's ({@code DEFAULT_PHASE - 2048}), so the loops start before
 * the web server and stop after it has finished its own graceful shutdown; HTTP requests still in flight
 * may use the loops until then.
 */
public class AsyncoreLifecycle implements SmartLifecycle {

    /** {@code SmartLifecycle.DEFAULT_PHASE - 3072}: started before, and stopped after, the web server. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    private static final Log logger = LogFactory.getLog(AsyncoreLifecycle.class);

    private final EventLoopGroup group;

    private final DispatcherRegistrar registrar;

    private final AsyncoreProperties properties;

    private volatile boolean running;

    private volatile boolean stopped;

    AsyncoreLifecycle(EventLoopGroup group, DispatcherRegistrar registrar, AsyncoreProperties properties) {
        this.group = group;
        this.registrar = registrar;
        this.properties = properties;
    }

    @Override
    public void start() {
        if (this.stopped) {
            throw new IllegalStateException("asyncore cannot start again after it stopped: its dispatcher beans"
                    + " were closed; create a new application context instead");
        }
        for (ChannelMap map : this.group.maps()) {
            map.eventLoop().setSelectTimeout(this.properties.getLoop().getSelectTimeout());
            map.eventLoop().setStallThreshold(this.properties.getLoop().getStallThreshold());
            map.setMaxOutputMemory(this.properties.getLoop().getMaxOutputMemory().toBytes());
        }
        this.group.start();
        try {
            this.registrar.registerAll();
        }
        catch (RuntimeException ex) {
            this.group.close();
            throw ex;
        }
        this.running = true;
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        this.stopped = true;
        Duration timeout = this.properties.getShutdown().getTimeout();
        this.group.shutdownGracefully(timeout).whenComplete((report, failure) -> {
            if (failure != null) {
                logger.warn("asyncore shutdown failed", failure);
            }
            else {
                log(report);
            }
            callback.run();
        });
    }

    @Override
    public void stop() {
        this.running = false;
        this.stopped = true;
        log(this.group.shutdownGracefully(this.properties.getShutdown().getTimeout()).join());
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
