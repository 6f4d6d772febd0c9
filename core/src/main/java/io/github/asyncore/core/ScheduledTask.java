package io.github.asyncore.core;

import java.time.Duration;

import io.github.asyncore.core.internal.loop.TimerAccess;

/**
 * A timer set with {@link EventExecutor#schedule(Duration, Runnable)}. {@link #cancel()} and the
 * queries may be called from any thread; the task itself runs on the loop thread.
 */
public final class ScheduledTask implements Comparable<ScheduledTask> {

    /** The loop's task runner lives in another package: its way to what this class keeps package-private. */
    static final TimerAccess ACCESS = new TimerAccess() {

        @Override
        public ScheduledTask newTimer(long deadlineNanos, long sequence, Runnable task) {
            return new ScheduledTask(deadlineNanos, sequence, task);
        }

        @Override
        public long deadlineNanos(ScheduledTask timer) {
            return timer.deadlineNanos;
        }

        @Override
        public Runnable task(ScheduledTask timer) {
            return timer.task;
        }

        @Override
        public void markDone(ScheduledTask timer) {
            timer.done = true;
        }

    };

    private final long deadlineNanos;

    private final long sequence;

    /** Dropped on cancel, so that a cancelled timer waiting for its deadline keeps nothing alive. */
    private volatile Runnable task;

    private volatile boolean cancelled;

    private volatile boolean done;

    ScheduledTask(long deadlineNanos, long sequence, Runnable task) {
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
    }

    /**
     * Stops the task from running if it has not run yet. Harmless when it ran or was cancelled.
     * @return {@code true} if this call stopped the task from running
     */
    public boolean cancel() {
        if (this.done || this.cancelled) {
            return false;
        }
        this.cancelled = true;
        this.task = null;
        return !this.done;
    }

    /** @return whether {@link #cancel()} was called before the task ran */
    public boolean isCancelled() {
        return this.cancelled;
    }

    /** @return whether the task has run (successfully or not) */
    public boolean isDone() {
        return this.done;
    }

    /** @return the time left until the deadline, negative once it has passed */
    public Duration getDelay() {
        return Duration.ofNanos(this.deadlineNanos - System.nanoTime());
    }

    @Override
    public int compareTo(ScheduledTask other) {
        int byDeadline = Long.compare(this.deadlineNanos - other.deadlineNanos, 0);
        return (byDeadline != 0) ? byDeadline : Long.compare(this.sequence, other.sequence);
    }

    @Override
    public String toString() {
        return "ScheduledTask[" + this.task + ", " + (this.cancelled ? "cancelled" : this.done ? "done" : "due in "
                + getDelay().toMillis() + " ms") + "]";
    }

}
