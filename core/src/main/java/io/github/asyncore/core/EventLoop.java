package io.github.asyncore.core;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.github.asyncore.core.internal.channel.DispatcherCounters;
import io.github.asyncore.core.internal.loop.BusyWindow;
import io.github.asyncore.core.internal.loop.GracefulShutdown;
import io.github.asyncore.core.internal.loop.LoopStatistics;
import io.github.asyncore.core.internal.loop.LoopThread;
import io.github.asyncore.core.internal.loop.SelectorDriver;
import io.github.asyncore.core.internal.loop.ShutdownHooks;
import io.github.asyncore.core.internal.loop.StallWatch;
import io.github.asyncore.core.internal.loop.TaskRunner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selector loop of one {@link ChannelMap}: asyncore's {@code loop()} on a JDK {@link Selector}.
 * <p>
 * One iteration runs the tasks handed in with {@link #execute(Runnable)}, asks channels
 * {@link Dispatcher#readable()} and {@link Dispatcher#writable()}, waits in the selector for what they
 * asked (at most the timeout, less if a timer is due), calls the handlers of the channels that are
 * ready, then runs the timers that are due. A listener is never waited on for writing. A channel whose
 * output rose above its high water mark is not waited on for reading, whatever {@code readable()} says.
 * <p>
 * Which channels are asked: asyncore asks every channel on every iteration, which makes each iteration
 * cost as much as the number of channels. This loop asks again exactly the channels whose answers may
 * have changed since the last wait: a channel that joined, one whose handlers ran, whose output changed
 * (a send, from any thread), or for which a task or timer of its own ran; and it asks every channel
 * after the application's own tasks ({@link #execute}) or timers ({@link #schedule}) ran, after a wait
 * that timed out, and after {@link #wakeup()}. So an answer computed from the channel's own state, or
 * changed by the application's tasks and timers, is seen before the next wait, as in asyncore. An answer
 * that depends on state another channel's handler changes is seen at the next full look; to have it seen
 * at once, call {@link #wakeup()} after changing that state.
 * <p>
 * Three ways to run it, each on the calling thread, one thread at a time:
 * <ul>
 * <li>{@link #loop(Duration)} and {@link #loop(Duration, int)}: asyncore's {@code loop(timeout, map,
 * count)}, returning when the map is empty (and no task waits) or after {@code count} iterations;</li>
 * <li>{@link #run()}: until {@link #stop()} or {@link #shutdownGracefully(Duration)}, waiting in the
 * selector while idle, for long-lived servers; {@link #start()} runs it on a new thread.</li>
 * </ul>
 * <p>
 * Threads: {@link #execute}, {@link #schedule}, {@link #inEventLoop}, {@link #stop},
 * {@link #shutdownGracefully}, {@link #close}, {@link #snapshot} and the getters and setters may be
 * called from any thread. Handlers, tasks and timers run on the loop thread; one that throws is logged
 * (a handler's exception goes to its dispatcher's {@link Dispatcher#handleError(Throwable)}) and the
 * loop goes on. A callback that runs longer than the {@linkplain #setStallThreshold stall threshold}
 * is counted and logged.
 */
public final class EventLoop implements EventExecutor, AutoCloseable {

    /** asyncore's default {@code timeout}: 30 seconds. */
    public static final Duration DEFAULT_SELECT_TIMEOUT = Duration.ofSeconds(30);

    /** A callback running longer than 100 ms is a stall, as asyncio's debug mode counts slow callbacks. */
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofMillis(100);

    private static final Logger logger = LoggerFactory.getLogger(EventLoop.class);

    private static final ThreadLocal<EventLoop> current = new ThreadLocal<>();

    private static final long FAILURE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final long UNLIMITED = -1;

    private final ChannelMap map;

    private final LoopStatistics statistics;

    /** Times handlers, tasks and timers: the stall threshold, stalls, and what runs now. */
    private final StallWatch stalls;

    /** The selector, and which channels are asked {@code readable()}/{@code writable()} before a wait. */
    private final SelectorDriver driver;

    /** The tasks handed in and the timers set. */
    private final TaskRunner runner;

    /** The shutdown asked for, its hooks, and how it drains the channels. */
    private final GracefulShutdown shutdown;

    /** Which thread runs the loop, and how the last run ended. */
    private final LoopThread thread;

    private final BusyWindow busyWindow = new BusyWindow(System.nanoTime());

    private volatile boolean stopRequested;

    /** Set by {@link #close()} from a handler: the selector is released when the run returns. */
    private volatile boolean closed;

    private volatile Duration selectTimeout = DEFAULT_SELECT_TIMEOUT;

    EventLoop(ChannelMap map, LoopStatistics statistics) {
        this.map = map;
        this.statistics = statistics;
        String name = map.name();
        this.thread = new LoopThread(name);
        this.stalls = new StallWatch(name, logger, statistics, DEFAULT_STALL_THRESHOLD.toNanos());
        this.driver = new SelectorDriver(name, logger, map.loopChannels(), statistics, this.stalls);
        this.runner = new TaskRunner(name, logger, statistics, this.stalls, this.driver, ScheduledTask.ACCESS);
        this.shutdown = new GracefulShutdown(name, logger, map.loopChannels(), this.runner, this.driver,
                this::iterateSafely);
    }

    /** @return the loop running on the calling thread, or {@code null} */
    static EventLoop current() {
        return current.get();
    }

    /** @return the loop's name, which is its map's name */
    public String name() {
        return this.map.name();
    }

    /** @return the map this loop serves */
    public ChannelMap map() {
        return this.map;
    }

    /** @return whether a thread is running the loop now */
    public boolean isRunning() {
        return this.thread.owner() != null;
    }

    @Override
    public boolean inEventLoop() {
        Thread owner = this.thread.owner(); // every send asks: kept to one read, without a further call
        return owner == null || owner == Thread.currentThread();
    }

    /**
     * Sets how long a handler, task or timer may run before it counts as a stall. Any thread.
     * @param threshold a positive duration
     */
    public void setStallThreshold(Duration threshold) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("stall-threshold must be positive, was " + threshold);
        }
        this.stalls.setThresholdNanos(threshold.toNanos());
    }

    /** @return the run time above which a callback counts as a stall */
    public Duration getStallThreshold() {
        return Duration.ofNanos(this.stalls.thresholdNanos());
    }

    /**
     * Sets the longest single wait in the selector for {@link #run()} (asyncore's {@code timeout}).
     * The loop wakes earlier for I/O, tasks and timers, so this only bounds how long an idle loop sleeps.
     * Any thread; takes effect from the next wait.
     * @param timeout a positive duration
     */
    public void setSelectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("select-timeout must be positive, was " + timeout);
        }
        this.selectTimeout = timeout;
    }

    /** @return the longest single wait of {@link #run()} */
    public Duration getSelectTimeout() {
        return this.selectTimeout;
    }

    @Override
    public void execute(Runnable task) {
        this.map.checkTakesWork();
        this.runner.add(Objects.requireNonNull(task, "task"));
        if (!this.thread.isOwner()) {
            this.driver.wakeup();
        }
    }

    @Override
    public ScheduledTask schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        this.map.checkTakesWork();
        ScheduledTask timer = this.runner.newTimer(Math.max(0, delay.toNanos()), task);
        if (inEventLoop()) {
            this.runner.addTimer(timer);
        }
        else {
            execute(() -> this.runner.addTimer(timer));
        }
        return timer;
    }

    /**
     * Wakes the loop if it waits in the selector, and makes it ask every channel {@code readable()} and
     * {@code writable()} again: call it after changing, from outside a channel's own handlers, something
     * those answers depend on. Any thread.
     */
    public void wakeup() {
        this.driver.requestEvaluateAll();
        this.driver.wakeup();
    }

    /**
     * asyncore's {@code loop(timeout, map)}: runs on the calling thread until the map is empty and no
     * task waits, or until {@link #stop()} or a graceful shutdown.
     * @param timeout the longest single wait in the selector; zero polls without waiting
     */
    public void loop(Duration timeout) {
        loop(timeout, UNLIMITED, false);
    }

    /**
     * asyncore's {@code loop(timeout, map, count)}: as {@link #loop(Duration)}, but returns after at most
     * {@code count} iterations.
     * @param timeout the longest single wait in the selector; zero polls without waiting
     * @param count the most iterations to run, zero or more
     */
    public void loop(Duration timeout, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, was " + count);
        }
        loop(timeout, count, false);
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()} or a graceful shutdown, waiting in the
     * selector (at most {@link #getSelectTimeout()} at a time) while idle. Unlike {@link #loop(Duration)}
     * it does not return when the map is empty.
     * @throws IllegalStateException when another thread runs the loop
     */
    public void run() {
        loop(this.selectTimeout, UNLIMITED, true);
    }

    /**
     * Starts a new (non-daemon) thread named after the loop that runs {@link #run()}, and returns once
     * that thread owns the loop.
     * @return the started thread
     * @throws IllegalStateException when a thread already runs the loop
     */
    public Thread start() {
        return this.thread.start(() -> loop(this.selectTimeout, UNLIMITED, true));
    }

    /**
     * Asks the current run (or, if none, the next one) to return after its iteration. Channels stay in
     * the map; a later run serves them again. Any thread.
     */
    public void stop() {
        this.stopRequested = true;
        this.driver.wakeup();
    }

    /**
     * Shuts the loop down gracefully: closes the listeners so that no connection is accepted, stops
     * reading, lets pending output drain until the timeout, then closes every channel, logs a drain
     * report and ends the run. A connection whose output is written is half-closed first (the peer
     * reads end-of-stream) and closed once the peer closes too, or a second later; what the peer sends
     * meanwhile is discarded, so that a peer still sending sees an orderly close, not a reset. Any thread: when a thread runs the loop, the loop does the work and
     * the returned future completes when it is done; when none does, the caller does the work before
     * this method returns.
     * @param timeout how long pending output may take to drain
     * @return the drain report, when the shutdown is done
     */
    public CompletableFuture<DrainReport> shutdownGracefully(Duration timeout) {
        GracefulShutdown.Request request = new GracefulShutdown.Request(System.nanoTime()
                + Math.max(0, timeout.toNanos()));
        GracefulShutdown.Request pending = this.shutdown.submit(request);
        if (pending != null) {
            return pending.future();
        }
        Thread owner = this.thread.owner();
        if (owner == null && enter(false, false)) {
            try {
                this.shutdown.perform(request);
            }
            finally {
                exit();
            }
            serveLateShutdowns();
        }
        else {
            this.driver.wakeup();
        }
        return request.future();
    }

    /**
     * Closes every channel at once and releases the selector. When another thread runs the loop, it is
     * shut down first and this call waits (up to 10 seconds) for it; from a handler on the loop, the
     * selector is released when the run returns. The loop may run again afterwards.
     */
    @Override
    public void close() {
        Thread owner = this.thread.owner();
        CompletableFuture<DrainReport> done = shutdownGracefully(Duration.ZERO);
        if (owner == Thread.currentThread()) {
            this.closed = true;
            return;
        }
        try {
            done.get(10, TimeUnit.SECONDS);
        }
        catch (TimeoutException ex) {
            logger.warn("{}: the loop thread {} did not finish within 10 s of close()", name(), threadName());
        }
        catch (Exception ex) {
            logger.warn("{}: shutdown failed", name(), ex);
        }
        this.driver.close();
    }

    /**
     * Takes a snapshot of the loop's state. Any thread.
     * @return a new snapshot
     */
    public LoopSnapshot snapshot() {
        Thread owner = this.thread.owner();
        Duration busyFor = this.stalls.busyFor();
        LoopStatistics counters = this.statistics;
        DispatcherCounters traffic = this.map.totalTraffic();
        long busyNanos = counters.handlerNanos + counters.taskNanos + busyFor.toNanos();
        double busyFraction = this.busyWindow.fraction(System.nanoTime(), busyNanos);
        return new LoopSnapshot(name(), (owner != null) ? owner.getName() : null, owner != null, this.map.size(),
                counters.iterations, this.runner.taskCount(), this.runner.timerCount(), counters.stalls,
                traffic.handlerErrors, traffic.idleTimeouts, traffic.connectTimeouts, traffic.bytesRead,
                traffic.bytesWritten, traffic.connectionsAccepted, traffic.connectionsRejected,
                traffic.connectionsRefused, traffic.tlsHandshakes, traffic.tlsHandshakeFailures,
                traffic.outputHardLimitCloses, traffic.outputSoftLimitCloses, traffic.outputMemoryCloses,
                this.map.buffers().lentBytes(), this.map.buffers().maxLentBytes(), counters.handlerRuns,
                Duration.ofNanos(counters.handlerNanos), busyFor, getStallThreshold(),
                this.thread.failure(), this.thread.stoppedAt(), Duration.ofNanos(busyNanos), busyFraction,
                counters.spinningWriters, counters.stuckReaders);
    }

    /** @return the work run on the loop thread when a shutdown begins; any thread */
    ShutdownHooks shutdownHooks() {
        return this.shutdown.hooks();
    }

    /** @return the part of the loop that channels whose answers may have changed are queued with */
    SelectorDriver selectorDriver() {
        return this.driver;
    }

    /** @return the name of the thread running the loop, or {@code "no thread"} */
    String threadName() {
        return this.thread.ownerName();
    }

    private void loop(Duration timeout, long count, boolean untilStopped) {
        long timeoutNanos = timeout.toNanos();
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        enter(untilStopped, true);
        try {
            for (long i = 0; (count == UNLIMITED || i < count) && !this.stopRequested; i++) {
                if (!untilStopped && this.map.isEmpty() && !this.runner.hasTasks()) {
                    break;
                }
                iterateSafely(timeoutNanos);
                GracefulShutdown.Request request = this.shutdown.pending();
                if (request != null) {
                    this.shutdown.perform(request);
                    break;
                }
            }
            this.driver.releaseClosedChannels();
        }
        catch (Error ex) {
            this.thread.failed(ex);
            logger.error("{}: the loop thread {} failed; closing its {} channels", name(),
                    Thread.currentThread().getName(), this.map.size(), ex);
            this.shutdown.closeAfterFailure();
            throw ex;
        }
        finally {
            exit();
        }
        serveLateShutdowns();
    }

    /**
     * Serves shutdowns asked for while this thread owned the loop but was past its last check: their
     * callers saw an owner and only woke it. Checks again after each one, because completing one (its
     * future) can release a caller that asks for the next in the same way.
     */
    private void serveLateShutdowns() {
        GracefulShutdown.Request late;
        while ((late = this.shutdown.pending()) != null && enter(false, false)) {
            try {
                this.shutdown.perform(late);
            }
            finally {
                exit();
            }
        }
    }

    /** Makes the calling thread the loop's and the loop its {@link #current()}; see {@link LoopThread#claim}. */
    private boolean enter(boolean startedThread, boolean required) {
        if (!this.thread.claim(startedThread, required)) {
            return false;
        }
        current.set(this);
        return true;
    }

    private void exit() {
        current.remove();
        this.stopRequested = false;
        this.thread.release();
        if (this.closed) {
            this.closed = false;
            this.driver.close();
        }
    }

    private void iterateSafely(long timeoutNanos) {
        try {
            iterate(timeoutNanos);
        }
        catch (ClosedSelectorException ex) {
            throw new IllegalStateException(name() + ": the selector was closed while the loop ran", ex);
        }
        catch (IOException | RuntimeException ex) {
            logger.warn("{}: the loop failed outside any handler; backing off for 100 ms", name(), ex);
            LockSupport.parkNanos(FAILURE_BACKOFF_NANOS);
        }
    }

    /** One iteration: tasks, the channels' answers, the wait and the ready handlers, then due timers. */
    private void iterate(long timeoutNanos) throws IOException {
        Selector selector = this.driver.open();
        this.runner.runTasks();
        this.driver.evaluateInterest(selector, this.shutdown.isDraining());
        long waitNanos = (this.runner.hasTasks() || this.stopRequested || this.shutdown.waitsToBegin()) ? 0
                : this.runner.untilNextTimer(timeoutNanos);
        this.driver.select(selector, waitNanos);
        this.runner.runTimers();
        this.statistics.iterationDone();
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + ", " + (isRunning() ? "running on " + threadName() : "not running") + "]";
    }

}
