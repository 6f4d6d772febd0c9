package io.github.asyncore.core;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.github.asyncore.core.internal.channel.DispatcherCounters;
import io.github.asyncore.core.internal.loop.ChannelWork;
import io.github.asyncore.core.internal.loop.FatalErrors;
import io.github.asyncore.core.internal.loop.LoopChannel;
import io.github.asyncore.core.internal.loop.LoopStatistics;
import io.github.asyncore.core.internal.loop.ShutdownHooks;

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

    private static final int MAX_TASKS_PER_ITERATION = 4096;

    private static final long DRAIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** How long a drained connection waits for its peer to close after our end-of-stream. */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long FAILURE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final long NOT_BUSY = Long.MIN_VALUE;

    private static final long UNLIMITED = -1;

    private static final int MIN_TIMER_PURGE_THRESHOLD = 1024;

    private final ChannelMap map;

    private final LoopStatistics statistics;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();

    private final AtomicLong timerSequence = new AtomicLong();

    private final AtomicBoolean wakeupPending = new AtomicBoolean();

    private final AtomicReference<Thread> thread = new AtomicReference<>();

    private final AtomicReference<Shutdown> shutdown = new AtomicReference<>();

    private volatile Selector selector;

    private volatile boolean stopRequested;

    private volatile boolean closed;

    private volatile long stallThresholdNanos = DEFAULT_STALL_THRESHOLD.toNanos();

    private volatile Duration selectTimeout = DEFAULT_SELECT_TIMEOUT;

    private volatile long busySinceNanos = NOT_BUSY;

    private volatile int timerCount;

    /** The timer queue's size at which cancelled timers are purged; loop thread. */
    private int timerPurgeThreshold = MIN_TIMER_PURGE_THRESHOLD;

    private volatile Throwable failure;

    private volatile Instant stoppedAt;

    private boolean draining;

    /** Channels whose {@code readable()}/{@code writable()} may have changed; loop thread. */
    private final ArrayDeque<LoopChannel> toEvaluate = new ArrayDeque<>();

    /** Run on the loop thread when a shutdown begins (the {@link Reconnector}s of its channels). */
    private final ShutdownHooks shutdownHooks = new ShutdownHooks();

    /** Whether the next iteration asks every channel; loop thread. */
    private boolean evaluateAll = true;

    /** Set by {@link #wakeup()} from any thread. */
    private volatile boolean evaluateAllRequested;

    private final Consumer<SelectionKey> keyHandler = this::processKey;

    /** Whether the loop's clock must be read before the next handler; loop thread. */
    private boolean clockStale;

    EventLoop(ChannelMap map, LoopStatistics statistics) {
        this.map = map;
        this.statistics = statistics;
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
        return this.thread.get() != null;
    }

    @Override
    public boolean inEventLoop() {
        Thread owner = this.thread.get();
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
        this.stallThresholdNanos = threshold.toNanos();
    }

    /** @return the run time above which a callback counts as a stall */
    public Duration getStallThreshold() {
        return Duration.ofNanos(this.stallThresholdNanos);
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
        this.tasks.add(Objects.requireNonNull(task, "task"));
        if (this.thread.get() != Thread.currentThread()) {
            wakeupSelector();
        }
    }

    @Override
    public ScheduledTask schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        this.map.checkTakesWork();
        long delayNanos = Math.max(0, delay.toNanos());
        ScheduledTask timer = new ScheduledTask(System.nanoTime() + delayNanos,
                this.timerSequence.incrementAndGet(), task);
        if (inEventLoop()) {
            addTimer(timer);
        }
        else {
            execute(() -> addTimer(timer));
        }
        return timer;
    }

    /**
     * Wakes the loop if it waits in the selector, and makes it ask every channel {@code readable()} and
     * {@code writable()} again: call it after changing, from outside a channel's own handlers, something
     * those answers depend on. Any thread.
     */
    public void wakeup() {
        this.evaluateAllRequested = true;
        wakeupSelector();
    }

    /** Wakes the loop if it waits in the selector. Any thread. */
    private void wakeupSelector() {
        if (this.wakeupPending.compareAndSet(false, true)) {
            Selector current = this.selector;
            if (current != null) {
                current.wakeup();
            }
        }
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
        Thread loopThread = new Thread(() -> loop(this.selectTimeout, UNLIMITED, true), name());
        if (!this.thread.compareAndSet(null, loopThread)) {
            throw new IllegalStateException(name() + " is already running on " + threadName());
        }
        loopThread.start();
        return loopThread;
    }

    /**
     * Asks the current run (or, if none, the next one) to return after its iteration. Channels stay in
     * the map; a later run serves them again. Any thread.
     */
    public void stop() {
        this.stopRequested = true;
        wakeupSelector();
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
        Shutdown request = new Shutdown(System.nanoTime() + Math.max(0, timeout.toNanos()));
        Shutdown pending = this.shutdown.compareAndExchange(null, request);
        if (pending != null) {
            return pending.future;
        }
        Thread owner = this.thread.get();
        if (owner == null && enter(false, false)) {
            try {
                performShutdown(request);
            }
            finally {
                exit();
            }
            serveLateShutdowns();
        }
        else {
            wakeupSelector();
        }
        return request.future;
    }

    /**
     * Closes every channel at once and releases the selector. When another thread runs the loop, it is
     * shut down first and this call waits (up to 10 seconds) for it; from a handler on the loop, the
     * selector is released when the run returns. The loop may run again afterwards.
     */
    @Override
    public void close() {
        Thread owner = this.thread.get();
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
        closeSelector();
    }

    /**
     * Takes a snapshot of the loop's state. Any thread.
     * @return a new snapshot
     */
    public LoopSnapshot snapshot() {
        Thread owner = this.thread.get();
        long busySince = this.busySinceNanos;
        Duration busyFor = (busySince != NOT_BUSY) ? Duration.ofNanos(System.nanoTime() - busySince) : Duration.ZERO;
        LoopStatistics counters = this.statistics;
        DispatcherCounters traffic = this.map.totalTraffic();
        return new LoopSnapshot(name(), (owner != null) ? owner.getName() : null, owner != null, this.map.size(),
                counters.iterations, this.tasks.size(), this.timerCount, counters.stalls, traffic.handlerErrors,
                traffic.idleTimeouts, traffic.connectTimeouts, traffic.bytesRead, traffic.bytesWritten,
                traffic.connectionsAccepted, traffic.connectionsRejected, traffic.connectionsRefused,
                traffic.tlsHandshakes, traffic.tlsHandshakeFailures, traffic.outputHardLimitCloses,
                traffic.outputSoftLimitCloses, traffic.outputMemoryCloses, this.map.buffers().lentBytes(),
                this.map.buffers().maxLentBytes(), counters.handlerRuns,
                Duration.ofNanos(counters.handlerNanos), busyFor, getStallThreshold(), this.failure, this.stoppedAt);
    }

    /** @return the work run on the loop thread when a shutdown begins; any thread */
    ShutdownHooks shutdownHooks() {
        return this.shutdownHooks;
    }

    String threadName() {
        Thread owner = this.thread.get();
        return (owner != null) ? owner.getName() : "no thread";
    }

    private void loop(Duration timeout, long count, boolean untilStopped) {
        long timeoutNanos = timeout.toNanos();
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        enter(untilStopped, true);
        try {
            for (long i = 0; (count == UNLIMITED || i < count) && !this.stopRequested; i++) {
                if (!untilStopped && this.map.isEmpty() && this.tasks.isEmpty()) {
                    break;
                }
                iterateSafely(timeoutNanos);
                Shutdown request = this.shutdown.get();
                if (request != null) {
                    performShutdown(request);
                    break;
                }
            }
            releaseClosedChannels();
        }
        catch (Error ex) {
            this.failure = ex;
            logger.error("{}: the loop thread {} failed; closing its {} channels", name(),
                    Thread.currentThread().getName(), this.map.size(), ex);
            closeEverythingAfterFailure();
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
        Shutdown late;
        while ((late = this.shutdown.get()) != null && enter(false, false)) {
            try {
                performShutdown(late);
            }
            finally {
                exit();
            }
        }
    }

    private boolean enter(boolean startedThread, boolean required) {
        Thread me = Thread.currentThread();
        if (this.thread.compareAndSet(null, me)) {
            current.set(this);
            this.stoppedAt = null;
            return true;
        }
        Thread owner = this.thread.get();
        if (startedThread && owner == me && current.get() == null) {
            current.set(this); // the thread start() created and reserved
            this.stoppedAt = null;
            return true;
        }
        if (!required) {
            return false;
        }
        if (owner == me) {
            throw new IllegalStateException(name() + " is already running on this thread: a handler must not"
                    + " run its own loop");
        }
        throw new IllegalStateException(name() + " is already running on " + threadName());
    }

    private void exit() {
        current.remove();
        this.stoppedAt = Instant.now();
        this.stopRequested = false;
        this.thread.set(null);
        if (this.closed) {
            this.closed = false;
            closeSelector();
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

    private void iterate(long timeoutNanos) throws IOException {
        Selector selector = openSelector();
        runTasks();
        evaluateInterest(selector);
        long waitNanos = timeoutNanos;
        if (!this.tasks.isEmpty() || this.stopRequested || (this.shutdown.get() != null && !this.draining)) {
            waitNanos = 0;
        }
        else {
            ScheduledTask next = this.timers.peek();
            if (next != null) {
                waitNanos = Math.min(waitNanos, next.deadlineNanos() - System.nanoTime());
            }
        }
        this.clockStale = true; // the wait may last: the first ready key reads the clock afresh
        int ready = (waitNanos <= 0) ? selector.selectNow(this.keyHandler)
                : selector.select(this.keyHandler, toMillisCeiling(waitNanos));
        this.clockStale = false;
        boolean wokenUp = this.wakeupPending.getAndSet(false);
        if (ready == 0 && !wokenUp && waitNanos > 0) {
            this.evaluateAll = true; // the wait timed out: asyncore's periodic look at every channel
        }
        this.statistics.now = System.nanoTime();
        runTimers();
        this.statistics.iterationDone();
    }

    /**
     * Asks {@code readable()} and {@code writable()} of the channels that could have changed their
     * answers since the last wait, or of every channel when anything else may have changed them.
     */
    private void evaluateInterest(Selector selector) {
        if (this.evaluateAllRequested) {
            this.evaluateAllRequested = false;
            this.evaluateAll = true;
        }
        LoopChannel channel;
        if (this.evaluateAll || this.draining) {
            this.evaluateAll = false;
            while ((channel = this.toEvaluate.pollFirst()) != null) {
                channel.queuedForEvaluation(false);
            }
            for (LoopChannel each : this.map.loopChannels()) {
                each.updateInterest(selector, this.draining);
            }
            return;
        }
        while ((channel = this.toEvaluate.pollFirst()) != null) {
            channel.queuedForEvaluation(false);
            channel.updateInterest(selector, false);
        }
    }

    /** Queues a channel whose {@code readable()}/{@code writable()} may have changed. Loop thread. */
    void markForEvaluation(LoopChannel channel) {
        if (!channel.queuedForEvaluation()) {
            channel.queuedForEvaluation(true);
            this.toEvaluate.addLast(channel);
        }
    }

    /** Runs the handlers of one ready channel; called by the selector for each ready key. */
    private void processKey(SelectionKey key) {
        LoopChannel channel = (LoopChannel) key.attachment();
        int readyOps;
        try {
            readyOps = key.readyOps();
        }
        catch (RuntimeException ex) {
            return; // cancelled meanwhile by another handler
        }
        long start;
        if (this.clockStale) {
            this.clockStale = false;
            start = System.nanoTime();
            this.statistics.now = start;
        }
        else {
            start = this.statistics.now; // the previous handler's end
        }
        this.busySinceNanos = start;
        channel.dispatch(readyOps);
        long end = System.nanoTime();
        this.statistics.now = end;
        this.busySinceNanos = NOT_BUSY;
        long took = end - start;
        this.statistics.handlerRan(took);
        markForEvaluation(channel);
        if (took > this.stallThresholdNanos) {
            reportStall(channel, took);
        }
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = this.tasks.poll();
            if (task == null) {
                return;
            }
            runGuarded(task, task);
            changedBy(task);
        }
    }

    private void runTimers() {
        if (this.timers.isEmpty()) {
            return;
        }
        long now = this.statistics.now;
        ScheduledTask timer;
        while ((timer = this.timers.peek()) != null && timer.deadlineNanos() - now <= 0) {
            this.timers.poll();
            Runnable task = timer.task();
            if (task != null && !timer.isCancelled()) {
                runGuarded(task, timer);
                timer.markDone();
                changedBy(task);
            }
        }
        this.timerCount = this.timers.size();
    }

    /** After a task or timer ran: which channels' answers may have changed. */
    private void changedBy(Runnable task) {
        if (task instanceof ChannelWork work) {
            LoopChannel channel = work.channel();
            if (channel != null) { // without a channel, the work marks the channels it changes itself
                markForEvaluation(channel);
            }
        }
        else {
            this.evaluateAll = true; // the application's own code may have changed any channel
        }
    }

    private void addTimer(ScheduledTask timer) {
        this.timers.add(timer);
        if (this.timers.size() >= this.timerPurgeThreshold) {
            // cancelled timers wait for their deadline (a closed connection's idle timeout may be minutes
            // away): drop them whenever the queue has doubled since the last purge, O(1) per timer overall
            this.timers.removeIf(ScheduledTask::isCancelled);
            this.timerPurgeThreshold = Math.max(MIN_TIMER_PURGE_THRESHOLD, 2 * this.timers.size());
        }
        this.timerCount = this.timers.size();
    }

    private void runGuarded(Runnable callback, Object source) {
        long start = System.nanoTime();
        this.statistics.now = start;
        this.busySinceNanos = start;
        try {
            callback.run();
        }
        catch (Throwable ex) {
            FatalErrors.rethrowIfFatal(ex);
            logger.error("{}: {} failed; the loop goes on", name(), source, ex);
        }
        finally {
            this.busySinceNanos = NOT_BUSY;
        }
        long end = System.nanoTime();
        this.statistics.now = end;
        if (end - start > this.stallThresholdNanos) {
            reportStall(source, end - start);
        }
    }

    private void reportStall(Object source, long tookNanos) {
        this.statistics.stall();
        logger.warn("{}: {} ran for {} ms, over the stall threshold of {} ms; handlers must not block the loop",
                name(), source, TimeUnit.NANOSECONDS.toMillis(tookNanos),
                TimeUnit.NANOSECONDS.toMillis(this.stallThresholdNanos));
    }

    private void performShutdown(Shutdown request) {
        long start = System.nanoTime();
        this.draining = true;
        int listeners = 0;
        int drained = 0;
        int aborted = 0;
        long unsent = 0;
        try {
            this.shutdownHooks.run((hook) -> runGuarded(hook, hook));
            for (LoopChannel channel : this.map.loopChannels()) {
                if (channel.isListener()) {
                    channel.closeForShutdown();
                    listeners++;
                }
            }
            while (true) {
                long now = System.nanoTime();
                for (LoopChannel channel : this.map.loopChannels()) {
                    if (channel.drainStep(now, CLOSE_GRACE_NANOS)) {
                        channel.closeForShutdown();
                        drained++;
                    }
                }
                long left = request.deadlineNanos - System.nanoTime();
                if (this.map.isEmpty() || left <= 0) {
                    break;
                }
                iterateSafely(Math.min(left, DRAIN_WAIT_NANOS));
            }
            List<LoopChannel> remaining = new ArrayList<>(this.map.loopChannels());
            for (LoopChannel channel : remaining) {
                if (channel.hasPendingOutput()) {
                    aborted++;
                    unsent += channel.pendingOutputBytes();
                }
                else {
                    drained++; // all written; the peer just had not closed yet
                }
                channel.closeForShutdown();
            }
            releaseClosedChannels();
        }
        finally {
            this.draining = false;
            DrainReport report = new DrainReport(listeners, drained, aborted, unsent,
                    Duration.ofNanos(System.nanoTime() - start));
            if (listeners + drained + aborted > 0) {
                logger.info("{}: shut down in {} ms: {} listeners closed, {} channels drained, {} aborted at the"
                        + " deadline with {} bytes unsent", name(), report.took().toMillis(), listeners, drained,
                        aborted, unsent);
            }
            this.shutdown.set(null);
            request.future.complete(report);
        }
    }

    /**
     * A loop thread that dies closes its channels, so that their peers see the end at once (and can go
     * elsewhere) instead of a server that no longer answers. Best effort: the error may strike again.
     */
    private void closeEverythingAfterFailure() {
        for (LoopChannel channel : new ArrayList<>(this.map.loopChannels())) {
            channel.closeAfterFailure();
        }
        releaseClosedChannels();
    }

    /** Lets the selector deregister cancelled keys now, so that closed sockets release their descriptors. */
    void releaseClosedChannels() {
        Selector current = this.selector;
        if (current != null && current.isOpen()) {
            try {
                current.selectNow((key) -> {
                });
            }
            catch (IOException | ClosedSelectorException ex) {
                logger.debug("{}: could not flush cancelled keys", name(), ex);
            }
        }
    }

    private Selector openSelector() throws IOException {
        Selector current = this.selector;
        if (current == null || !current.isOpen()) {
            current = Selector.open();
            this.selector = current;
            // a wakeup() that found no selector left the flag set: clear it so later wakeups reach this one
            // (whatever it was for, the caller's task or stop request is checked before the first wait)
            this.wakeupPending.set(false);
        }
        return current;
    }

    private void closeSelector() {
        Selector current = this.selector;
        this.selector = null;
        if (current != null) {
            try {
                current.close();
            }
            catch (IOException ex) {
                logger.debug("{}: closing the selector failed", name(), ex);
            }
        }
    }

    private static long toMillisCeiling(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + ", " + (isRunning() ? "running on " + threadName() : "not running") + "]";
    }

    private static final class Shutdown {

        final long deadlineNanos;

        final CompletableFuture<DrainReport> future = new CompletableFuture<>();

        Shutdown(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

    }

}
