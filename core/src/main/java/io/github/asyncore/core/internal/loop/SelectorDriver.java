package io.github.asyncore.core.internal.loop;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;

/**
 * The selector of one loop and the channels it waits on: asks channels what they wait for
 * ({@link LoopChannel#updateInterest}), waits in the selector, and runs the handlers of the channels that
 * are ready ({@link LoopChannel#dispatch}), timing each for the {@link StallWatch}.
 * <p>
 * Which channels are asked: those queued with {@link #markForEvaluation(LoopChannel)} since the last wait
 * (each once, however often it was queued), or every channel of the loop after {@link #evaluateAll()} or
 * {@link #requestEvaluateAll()}, after a wait that timed out, and on every iteration of a graceful
 * shutdown. A channel whose handlers ran is queued for the next evaluation.
 * <p>
 * Threads: {@link #wakeup()}, {@link #requestEvaluateAll()} and {@link #close()} from any thread; the rest on
 * the loop thread. The selector is opened on the loop's first iteration and again after a close.
 */
public final class SelectorDriver {

    private final String loopName;

    private final Logger logger;

    /** Every live channel of the loop, iterated while channels close (and leave it) on the loop thread. */
    private final Iterable<? extends LoopChannel> channels;

    private final LoopStatistics statistics;

    private final StallWatch stalls;

    /** Set by the first {@link #wakeup()} after a wait, so that later ones cost no selector call. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();

    /** Channels whose {@code readable()}/{@code writable()} may have changed; loop thread. */
    private final ArrayDeque<LoopChannel> toEvaluate = new ArrayDeque<>();

    /** Built once: the selector calls it for each ready key, without an allocation per wait. */
    private final Consumer<SelectionKey> keyHandler = this::processKey;

    private volatile Selector selector;

    /** Whether the next evaluation asks every channel; loop thread. */
    private boolean evaluateAll = true;

    /** Set by {@link #requestEvaluateAll()} from any thread. */
    private volatile boolean evaluateAllRequested;

    /** Whether the loop's clock must be read before the next handler; loop thread. */
    private boolean clockStale;

    /**
     * @param loopName the loop's name, for log lines
     * @param logger the loop's own logger, whose category operators configure
     * @param channels every live channel of the loop; it may change while iterated (a channel that fails
     *        closes and leaves it), so a concurrent collection's view
     * @param statistics where handler runs are counted, and whose clock the handlers' timing refreshes
     * @param stalls times the handlers
     */
    public SelectorDriver(String loopName, Logger logger, Iterable<? extends LoopChannel> channels,
            LoopStatistics statistics, StallWatch stalls) {
        this.loopName = loopName;
        this.logger = logger;
        this.channels = channels;
        this.statistics = statistics;
        this.stalls = stalls;
    }

    /**
     * Opens the selector unless it is open. Loop thread.
     * @return the open selector, for this iteration's {@link #evaluateInterest} and {@link #select}
     * @throws IOException when the JDK cannot open a selector
     */
    public Selector open() throws IOException {
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

    /** Closes the selector, if open; the next {@link #open()} opens a new one. Any thread. */
    public void close() {
        Selector current = this.selector;
        this.selector = null;
        if (current != null) {
            try {
                current.close();
            }
            catch (IOException ex) {
                this.logger.debug("{}: closing the selector failed", this.loopName, ex);
            }
        }
    }

    /** Wakes the loop if it waits in the selector; at most one selector call per wait. Any thread. */
    public void wakeup() {
        if (this.wakeupPending.compareAndSet(false, true)) {
            Selector current = this.selector;
            if (current != null) {
                current.wakeup();
            }
        }
    }

    /** Makes the next evaluation ask every channel; for a caller that may have changed any. Any thread. */
    public void requestEvaluateAll() {
        this.evaluateAllRequested = true;
    }

    /** Makes the next evaluation ask every channel; for work on the loop thread that may have changed any. */
    public void evaluateAll() {
        this.evaluateAll = true;
    }

    /** Queues a channel whose {@code readable()}/{@code writable()} may have changed. Loop thread. */
    public void markForEvaluation(LoopChannel channel) {
        if (!channel.queuedForEvaluation()) {
            channel.queuedForEvaluation(true);
            this.toEvaluate.addLast(channel);
        }
    }

    /**
     * Asks {@code readable()} and {@code writable()} of the channels that could have changed their
     * answers since the last wait, or of every channel when anything else may have changed them. Loop thread.
     * @param selector the selector {@link #open()} returned
     * @param draining whether a graceful shutdown is under way: every channel is asked, as draining
     */
    public void evaluateInterest(Selector selector, boolean draining) {
        if (this.evaluateAllRequested) {
            this.evaluateAllRequested = false;
            this.evaluateAll = true;
        }
        LoopChannel channel;
        if (this.evaluateAll || draining) {
            this.evaluateAll = false;
            while ((channel = this.toEvaluate.pollFirst()) != null) {
                channel.queuedForEvaluation(false);
            }
            for (LoopChannel each : this.channels) {
                each.updateInterest(selector, draining);
            }
            return;
        }
        while ((channel = this.toEvaluate.pollFirst()) != null) {
            channel.queuedForEvaluation(false);
            channel.updateInterest(selector, false);
        }
    }

    /**
     * Waits in the selector and runs the handlers of the channels that are ready, each through
     * {@link LoopChannel#dispatch}. A wait that times out (not woken, nothing ready) makes the next
     * evaluation ask every channel, asyncore's periodic look at all of them. Refreshes the loop's clock
     * ({@link LoopStatistics#now}) before it returns. Loop thread.
     * @param selector the selector {@link #open()} returned
     * @param waitNanos the longest wait, in nanoseconds; zero or less selects without waiting
     * @throws IOException when the selector fails
     */
    public void select(Selector selector, long waitNanos) throws IOException {
        this.clockStale = true; // the wait may last: the first ready key reads the clock afresh
        int ready = (waitNanos <= 0) ? selector.selectNow(this.keyHandler)
                : selector.select(this.keyHandler, toMillisCeiling(waitNanos));
        this.clockStale = false;
        boolean wokenUp = this.wakeupPending.getAndSet(false);
        if (ready == 0 && !wokenUp && waitNanos > 0) {
            this.evaluateAll = true; // the wait timed out: asyncore's periodic look at every channel
        }
        this.statistics.now = System.nanoTime();
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
        this.stalls.begin(start);
        channel.dispatch(readyOps);
        long end = System.nanoTime();
        this.statistics.now = end;
        this.stalls.end();
        long took = end - start;
        this.statistics.handlerRan(took);
        markForEvaluation(channel);
        this.stalls.check(channel, took);
    }

    /**
     * Lets the selector deregister cancelled keys now, so that closed sockets release their descriptors.
     * Loop thread, or the thread acting as it while no thread runs the loop.
     */
    public void releaseClosedChannels() {
        Selector current = this.selector;
        if (current != null && current.isOpen()) {
            try {
                current.selectNow((key) -> {
                });
            }
            catch (IOException | ClosedSelectorException ex) {
                this.logger.debug("{}: could not flush cancelled keys", this.loopName, ex);
            }
        }
    }

    private static long toMillisCeiling(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

}
