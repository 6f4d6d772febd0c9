package io.github.asyncore.core;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The narrow view of an event loop that a {@link Dispatcher} holds: hand work to the loop thread, set
 * timers, and ask whether the caller is on the loop. Every method may be called from any thread.
 * <p>
 * The loop's thread is whichever thread runs {@link EventLoop#run()} or {@link EventLoop#loop}. While
 * no thread runs the loop, the thread that sets dispatchers up (before calling {@code loop()}, as in
 * asyncore) counts as the loop thread: {@link #inEventLoop()} is {@code true} for it. Only one thread
 * at a time may do so.
 */
public interface EventExecutor extends Executor {

    /**
     * Runs the task on the loop thread, in the order tasks were handed in, during the loop's next
     * iteration (waking it if it waits in the selector). A task handed in while no thread runs the
     * loop waits for the next run. An exception from the task is logged and the loop goes on.
     * @param task the work to run on the loop thread
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs the task on the loop thread once the delay has passed. The timer is measured from this
     * call, on the monotonic clock; it fires during the first iteration after its deadline.
     * @param delay how long to wait, zero or more
     * @param task the work to run on the loop thread
     * @return a handle to cancel the timer, from any thread
     */
    ScheduledTask schedule(Duration delay, Runnable task);

    /**
     * @return whether the calling thread may act on loop-confined state now: it runs the loop, or no
     *         thread runs the loop
     */
    boolean inEventLoop();

}
