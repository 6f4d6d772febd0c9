package io.github.asyncore.boot.event;

import java.net.SocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.asyncore.core.ChannelListener;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.IdleState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Turns what asyncore's loops report about their channels ({@link ChannelListener}) into Spring
 * application events ({@link ChannelOpenedEvent}, {@link ChannelIdleEvent}, {@link ChannelClosedEvent},
 * {@link ConnectionRefusedEvent}) without ever blocking a loop: the loop thread only puts the event into a
 * bounded queue, and one thread of its own, {@code asyncore-events} (a daemon), publishes them in order
 * through the {@link ApplicationEventPublisher}. Every channel's events come from one loop thread and go
 * through the one queue, so the application sees them in the order they happened.
 * <p>
 * When listeners fall behind and the queue is full, a new event is dropped rather than waited for: it is
 * counted ({@link #droppedEvents()}, the {@code asyncore.events.dropped} meter) and a warning with the
 * count is logged at most every 10 seconds. An exception an event listener throws is logged, and the
 * next event is published.
 * <p>
 * Lifecycle: it starts in phase {@link #PHASE}, before the loops, so that it hears about every channel,
 * and stops after them, so that the closes of a graceful shutdown ({@link CloseReason#SHUTDOWN}) are
 * published too; on stop it publishes what is queued for up to {@link #STOP_TIMEOUT_MILLIS} ms, then
 * drops the rest.
 * <p>
 * Threads: the {@link ChannelListener} methods run on loop threads and never block; the lifecycle methods
 * and {@link #droppedEvents()} may be called from any thread.
 */
public class ChannelEventPublisher implements ChannelListener, SmartLifecycle, DisposableBean {

    /**
     * {@code SmartLifecycle.DEFAULT_PHASE - 3073}: one below the phase of the lifecycle that runs the loops,
     * so that the publisher starts before the loops and stops after them.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3073;

    /** The name of the publishing thread. */
    public static final String THREAD_NAME = "asyncore-events";

    /** How long a stop keeps publishing what is queued before it drops the rest. */
    public static final long STOP_TIMEOUT_MILLIS = 5_000;

    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Log logger = LogFactory.getLog(ChannelEventPublisher.class);

    /** Wakes the publishing thread when it should stop. */
    private static final Object STOP = new Object();

    private final EventLoopGroup group;

    private final ApplicationEventPublisher publisher;

    private final int capacity;

    private final BlockingQueue<Object> queue;

    private final AtomicLong dropped = new AtomicLong();

    /** The dropped count when the last warning was logged. */
    private final AtomicLong droppedWhenLogged = new AtomicLong();

    /** When the last warning was logged ({@link System#nanoTime()}), or 0 before the first. */
    private final AtomicLong lastDropLogNanos = new AtomicLong();

    private volatile @Nullable Thread thread;

    private volatile boolean stopping;

    /** Set while stopping, once what is still queued should be dropped instead of published. */
    private volatile long stopDeadlineNanos;

    /**
     * @param group the loops whose channels to report
     * @param publisher where to publish the events, usually the application context
     * @param capacity how many events may wait for the publishing thread, at least 1
     */
    public ChannelEventPublisher(EventLoopGroup group, ApplicationEventPublisher publisher, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue-capacity must be at least 1, was " + capacity);
        }
        this.group = group;
        this.publisher = publisher;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    // ---------------------------------------------------------------- ChannelListener (loop threads)

    @Override
    public void channelOpened(ChannelSnapshot channel) {
        offer(new ChannelOpenedEvent(channel));
    }

    @Override
    public void channelIdle(ChannelSnapshot channel, IdleState state) {
        offer(new ChannelIdleEvent(channel, state));
    }

    @Override
    public void channelClosed(ChannelSnapshot channel, CloseReason reason) {
        offer(new ChannelClosedEvent(channel, reason));
    }

    @Override
    public void connectionRefused(ChannelSnapshot listener, @Nullable SocketAddress peer) {
        offer(new ConnectionRefusedEvent(listener, peer));
    }

    /** @return how many events were dropped because the queue was full, since this publisher was made */
    public long droppedEvents() {
        return this.dropped.get();
    }

    /** @return how many events wait to be published now */
    public int queuedEvents() {
        return this.queue.size();
    }

    /** @return how many events may wait to be published */
    public int capacity() {
        return this.capacity;
    }

    private void offer(ChannelEvent event) {
        if (!this.queue.offer(event)) {
            dropped();
        }
    }

    private void dropped() {
        this.dropped.incrementAndGet();
        reportDropsWhenDue();
    }

    /**
     * Logs the drops not reported yet, at most once per interval: called on each drop (a loop thread) and
     * after each event published (the publishing thread, so that the last drops of a burst are reported
     * once the listeners catch up). One atomic read when nothing was dropped.
     */
    private void reportDropsWhenDue() {
        long total = this.dropped.get();
        if (total == this.droppedWhenLogged.get()) {
            return;
        }
        long now = System.nanoTime();
        long last = this.lastDropLogNanos.get();
        if ((last == 0 || now - last >= DROP_LOG_INTERVAL_NANOS) && this.lastDropLogNanos.compareAndSet(last, now)) {
            long since = total - this.droppedWhenLogged.getAndSet(total);
            if (since > 0) {
                logger.warn("Dropped " + since + " channel event(s) since the last report (" + total + " in all): the "
                        + "application's event listeners fall behind and the queue of " + this.capacity + " is full ("
                        + "asyncore.events.queue-capacity); counted in asyncore.events.dropped, logged at most every"
                        + " 10 s");
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle (any thread)

    @Override
    public void start() {
        if (this.thread != null) {
            return;
        }
        this.stopping = false;
        this.stopDeadlineNanos = 0;
        Thread publishing = new Thread(this::publishUntilStopped, THREAD_NAME);
        publishing.setDaemon(true);
        this.thread = publishing;
        publishing.start();
        this.group.addChannelListener(this);
    }

    @Override
    public void stop(Runnable callback) {
        Thread publishing = this.thread;
        if (publishing == null) {
            callback.run();
            return;
        }
        requestStop();
        Thread waiter = new Thread(() -> {
            awaitTermination(publishing);
            callback.run();
        }, THREAD_NAME + "-stop");
        waiter.setDaemon(true);
        waiter.start();
    }

    @Override
    public void stop() {
        Thread publishing = this.thread;
        if (publishing == null) {
            return;
        }
        requestStop();
        awaitTermination(publishing);
    }

    @Override
    public boolean isRunning() {
        return this.thread != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Not pausable, as the loops' lifecycle: it must hear about every channel while the loops run. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Stops the thread if the context is destroyed without a lifecycle stop (a failed refresh). */
    @Override
    public void destroy() {
        stop();
    }

    private void requestStop() {
        this.group.removeChannelListener(this);
        this.stopDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
        this.stopping = true;
        this.queue.offer(STOP); // when the queue is full, the thread sees the flag after its next event
    }

    private void awaitTermination(Thread publishing) {
        try {
            publishing.join(STOP_TIMEOUT_MILLIS + 1_000);
            if (publishing.isAlive()) {
                logger.warn("The " + THREAD_NAME + " thread did not stop: an event listener blocks it");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.thread = null;
        }
    }

    // ---------------------------------------------------------------- the publishing thread

    private void publishUntilStopped() {
        try {
            while (true) {
                Object next = this.queue.take();
                if (next instanceof ChannelEvent event) {
                    publish(event);
                    reportDropsWhenDue();
                }
                if (this.stopping && (this.queue.isEmpty() || System.nanoTime() - this.stopDeadlineNanos > 0)) {
                    break;
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        int left = 0;
        for (Object event : this.queue) {
            if (event instanceof ChannelEvent) {
                left++;
            }
        }
        this.queue.clear();
        if (left > 0) {
            this.dropped.addAndGet(left);
            logger.warn("Dropped " + left + " channel event(s) still queued " + STOP_TIMEOUT_MILLIS
                    + " ms after the stop began: the application's event listeners fall behind");
        }
    }

    private void publish(ChannelEvent event) {
        try {
            this.publisher.publishEvent(event);
        }
        catch (Throwable ex) {
            if (ex instanceof VirtualMachineError error) {
                throw error;
            }
            logger.warn("An event listener failed on " + event + "; publishing the next event", ex);
        }
    }

    @Override
    public String toString() {
        return "ChannelEventPublisher[" + this.queue.size() + " of " + this.capacity + " queued, " + this.dropped.get()
                + " dropped]";
    }

}
