package io.github.asyncore.core.internal.loop;

import io.github.asyncore.core.ScheduledTask;

/**
 * What a {@link TaskRunner} needs of a {@link ScheduledTask} beyond its public API. The API package keeps
 * these package-private, so that applications can neither make timers nor mark them done, and hands the
 * runner its one implementation ({@code ScheduledTask.ACCESS}). Stateless; any thread.
 */
public interface TimerAccess {

    /**
     * @param deadlineNanos when the timer is due, on the {@link System#nanoTime()} clock
     * @param sequence orders timers with the same deadline: the lower runs first
     * @param task what runs when the timer is due
     * @return a new timer, not queued yet
     */
    ScheduledTask newTimer(long deadlineNanos, long sequence, Runnable task);

    /** @return when the timer is due, on the {@link System#nanoTime()} clock */
    long deadlineNanos(ScheduledTask timer);

    /** @return what runs when the timer is due, or {@code null} once it was cancelled */
    Runnable task(ScheduledTask timer);

    /** Records that the timer's task has run (successfully or not). */
    void markDone(ScheduledTask timer);

}
