package io.github.asyncore.core.internal.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import io.github.asyncore.core.DrainReport;

import org.slf4j.Logger;

/**
 * How one loop ends: gracefully on request, or at once when its thread fails.
 * <p>
 * A graceful shutdown ({@link #perform}) runs the {@linkplain #hooks() shutdown hooks}, closes the listeners
 * so that no connection is accepted, then lets the other channels drain their output while the loop goes
 * on iterating (at most 50 ms per wait): a channel whose output is written is half-closed and closed once
 * its peer closes too, or after a grace of one second. At the deadline the channels left are closed, those
 * still owing output counted as aborted, and a {@link DrainReport} completes the request's future (and is
 * logged when there was anything to close).
 * <p>
 * Threads: {@link #submit} and {@link #hooks()} from any thread; the rest on the loop thread (or the
 * thread acting as it while no thread runs the loop).
 */
public final class GracefulShutdown {

    /** How long a drained connection waits for its peer to close after our end-of-stream. */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The longest wait in the selector between two drain steps. */
    private static final long DRAIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String loopName;

    private final Logger logger;

    /** Every live channel of the loop; channels leave it as they close. */
    private final Collection<? extends LoopChannel> channels;

    private final TaskRunner runner;

    private final SelectorDriver driver;

    /** One iteration of the loop, waiting at most the given nanoseconds in the selector. */
    private final LongConsumer iteration;

    private final ShutdownHooks hooks = new ShutdownHooks();

    private final AtomicReference<Request> pending = new AtomicReference<>();

    /** Whether a graceful shutdown is under way; loop thread. */
    private boolean draining;

    /**
     * @param loopName the loop's name, for the log line
     * @param logger the loop's own logger, whose category operators configure
     * @param channels every live channel of the loop; it changes while iterated (channels close and leave
     *        it), so a concurrent collection's view
     * @param runner runs the shutdown hooks guarded
     * @param driver releases the closed channels' sockets at the end
     * @param iteration runs one iteration of the loop, waiting at most the given nanoseconds, while
     *        channels drain
     */
    public GracefulShutdown(String loopName, Logger logger, Collection<? extends LoopChannel> channels,
            TaskRunner runner, SelectorDriver driver, LongConsumer iteration) {
        this.loopName = loopName;
        this.logger = logger;
        this.channels = channels;
        this.runner = runner;
        this.driver = driver;
        this.iteration = iteration;
    }

    /** @return the work run on the loop thread when a shutdown begins; any thread */
    public ShutdownHooks hooks() {
        return this.hooks;
    }

    /**
     * Asks for a shutdown, unless one is asked for already. Any thread.
     * @param request the new request
     * @return {@code null} when {@code request} is now the pending one, which the caller has performed (or
     *         wakes the loop thread to perform); else the pending request, whose future answers the caller
     */
    public Request submit(Request request) {
        return this.pending.compareAndExchange(null, request);
    }

    /** @return the shutdown asked for and not done yet, or {@code null}; any thread */
    public Request pending() {
        return this.pending.get();
    }

    /** @return whether a shutdown is asked for and not begun, so that the loop must not wait; loop thread */
    public boolean waitsToBegin() {
        return !this.draining && this.pending.get() != null;
    }

    /** @return whether a graceful shutdown is under way, so that channels are asked as draining; loop thread */
    public boolean isDraining() {
        return this.draining;
    }

    /**
     * Performs a graceful shutdown, then completes its request's future with the report (also when the
     * drain failed) and clears it, so that a later request starts afresh. Loop thread.
     * @param request the pending request
     */
    public void perform(Request request) {
        long start = System.nanoTime();
        this.draining = true;
        int listeners = 0;
        int drained = 0;
        int aborted = 0;
        long unsent = 0;
        try {
            this.hooks.run((hook) -> this.runner.runGuarded(hook, hook));
            for (LoopChannel channel : this.channels) {
                if (channel.isListener()) {
                    channel.closeForShutdown();
                    listeners++;
                }
            }
            while (true) {
                long now = System.nanoTime();
                for (LoopChannel channel : this.channels) {
                    if (channel.drainStep(now, CLOSE_GRACE_NANOS)) {
                        channel.closeForShutdown();
                        drained++;
                    }
                }
                long left = request.deadlineNanos - System.nanoTime();
                if (this.channels.isEmpty() || left <= 0) {
                    break;
                }
                this.iteration.accept(Math.min(left, DRAIN_WAIT_NANOS));
            }
            List<LoopChannel> remaining = new ArrayList<>(this.channels);
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
            this.driver.releaseClosedChannels();
        }
        finally {
            this.draining = false;
            DrainReport report = new DrainReport(listeners, drained, aborted, unsent,
                    Duration.ofNanos(System.nanoTime() - start));
            if (listeners + drained + aborted > 0) {
                this.logger.info("{}: shut down in {} ms: {} listeners closed, {} channels drained, {} aborted at"
                        + " the deadline with {} bytes unsent", this.loopName, report.took().toMillis(), listeners,
                        drained, aborted, unsent);
            }
            this.pending.set(null);
            request.future.complete(report);
        }
    }

    /**
     * A loop thread that dies closes its channels, so that their peers see the end at once (and can go
     * elsewhere) instead of a server that no longer answers. Best effort: the error may strike again.
     * Loop thread, as it fails.
     */
    public void closeAfterFailure() {
        for (LoopChannel channel : new ArrayList<>(this.channels)) {
            try {
                channel.closeAfterFailure();
            }
            catch (Throwable ex) {
                // the loop is failing already; the others are closed all the same (health is DOWN)
            }
        }
        this.driver.releaseClosedChannels();
    }

    /** A shutdown asked for: its deadline and the future of its report. */
    public static final class Request {

        private final long deadlineNanos;

        private final CompletableFuture<DrainReport> future = new CompletableFuture<>();

        /** @param deadlineNanos when draining ends, on the {@link System#nanoTime()} clock */
        public Request(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

        /** @return completed with the report once the shutdown is done; any thread */
        public CompletableFuture<DrainReport> future() {
            return this.future;
        }

    }

}
