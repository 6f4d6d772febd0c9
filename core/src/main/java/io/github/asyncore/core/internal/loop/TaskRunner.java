package io.github.asyncore.core.internal.loop;

import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.github.asyncore.core.ScheduledTask;

import org.slf4j.Logger;

/**
 * The work a loop runs besides its channels' handlers: tasks handed in from any thread, run in the order
 * they came, and timers ({@link ScheduledTask}), run in deadline order once due.
 * <p>
 * Each runs guarded ({@link #runGuarded}): timed by the {@link StallWatch}, and what it throws is logged
 * and the loop goes on, unless {@link FatalErrors} says the error must end the loop thread. After each,
 * the {@link SelectorDriver} learns whose {@code readable()}/{@code writable()} answers it may have
 * changed: a {@link ChannelWork}'s channel only, none for a {@link ChannelWork} without a channel (it
 * queues the channels it changes itself), and every channel after any other work, the application's own
 * code.
 * <p>
 * Threads: {@link #add}, {@link #newTimer} and the counts from any thread; the rest on the loop thread.
 * Times are {@link System#nanoTime()} nanoseconds.
 */
public final class TaskRunner {

    /** The most tasks one iteration runs. */
    private static final int MAX_TASKS_PER_ITERATION = 4096;

    /** The timer queue's size below which cancelled timers are left for their deadline. */
    private static final int MIN_TIMER_PURGE_THRESHOLD = 1024;

    private final String loopName;

    private final Logger logger;

    private final LoopStatistics statistics;

    private final StallWatch stalls;

    private final SelectorDriver driver;

    private final TimerAccess timerAccess;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    /** Loop thread only: a timer set on another thread is added by a task. */
    private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();

    private final AtomicLong timerSequence = new AtomicLong();

    /** The timer queue's size, for observers on other threads. */
    private volatile int timerCount;

    /** The timer queue's size at which cancelled timers are purged; loop thread. */
    private int timerPurgeThreshold = MIN_TIMER_PURGE_THRESHOLD;

    /**
     * @param loopName the loop's name, for log lines
     * @param logger the loop's own logger, whose category operators configure
     * @param statistics whose clock ({@link LoopStatistics#now}) the runs refresh
     * @param stalls times each run
     * @param driver told which channels each run may have changed
     * @param timerAccess reaches what {@link ScheduledTask} keeps package-private
     */
    public TaskRunner(String loopName, Logger logger, LoopStatistics statistics, StallWatch stalls,
            SelectorDriver driver, TimerAccess timerAccess) {
        this.loopName = loopName;
        this.logger = logger;
        this.statistics = statistics;
        this.stalls = stalls;
        this.driver = driver;
        this.timerAccess = timerAccess;
    }

    /** Queues a task for the loop's next iteration; the caller wakes the loop. Any thread. */
    public void add(Runnable task) {
        this.tasks.add(task);
    }

    /** @return whether a task waits to run; any thread */
    public boolean hasTasks() {
        return !this.tasks.isEmpty();
    }

    /** @return how many tasks wait to run; any thread, O(n) */
    public int taskCount() {
        return this.tasks.size();
    }

    /** @return how many timers are queued, cancelled ones waiting to be purged included; any thread */
    public int timerCount() {
        return this.timerCount;
    }

    /**
     * Makes a timer, due {@code delayNanos} from now; {@link #addTimer} queues it. Any thread.
     * @param delayNanos how long from now, zero or more
     * @param task what runs when the timer is due
     * @return the timer, for the caller to cancel
     */
    public ScheduledTask newTimer(long delayNanos, Runnable task) {
        return this.timerAccess.newTimer(System.nanoTime() + delayNanos, this.timerSequence.incrementAndGet(),
                task);
    }

    /** Queues a timer made with {@link #newTimer}. Loop thread. */
    public void addTimer(ScheduledTask timer) {
        this.timers.add(timer);
        if (this.timers.size() >= this.timerPurgeThreshold) {
            // cancelled timers wait for their deadline (a closed connection's idle timeout may be minutes
            // away): drop them whenever the queue has doubled since the last purge, O(1) per timer overall
            this.timers.removeIf(ScheduledTask::isCancelled);
            this.timerPurgeThreshold = Math.max(MIN_TIMER_PURGE_THRESHOLD, 2 * this.timers.size());
        }
        this.timerCount = this.timers.size();
    }

    /**
     * @param maxNanos the longest the loop may wait
     * @return {@code maxNanos}, or the time until the next timer is due when that is sooner (zero or
     *         negative when one is due already); loop thread
     */
    public long untilNextTimer(long maxNanos) {
        ScheduledTask next = this.timers.peek();
        if (next == null) {
            return maxNanos;
        }
        return Math.min(maxNanos, this.timerAccess.deadlineNanos(next) - System.nanoTime());
    }

    /** Runs the tasks waiting now, at most 4096, so that a flood of tasks does not starve the channels. Loop thread. */
    public void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = this.tasks.poll();
            if (task == null) {
                return;
            }
            runGuarded(task, task);
            changedBy(task);
        }
    }

    /** Runs the timers due by the loop's clock ({@link LoopStatistics#now}), in deadline order. Loop thread. */
    public void runTimers() {
        if (this.timers.isEmpty()) {
            return;
        }
        long now = this.statistics.now;
        ScheduledTask timer;
        while ((timer = this.timers.peek()) != null && this.timerAccess.deadlineNanos(timer) - now <= 0) {
            this.timers.poll();
            Runnable task = this.timerAccess.task(timer);
            if (task != null && !timer.isCancelled()) {
                runGuarded(task, timer);
                this.timerAccess.markDone(timer);
                changedBy(task);
            }
        }
        this.timerCount = this.timers.size();
    }

    /**
     * Runs a callback on the loop thread, timed for the {@link StallWatch}; logs what it throws, unless the
     * error must end the loop thread ({@link FatalErrors}), which is rethrown.
     * @param callback what to run
     * @param source what to name in the log lines
     */
    public void runGuarded(Runnable callback, Object source) {
        long start = System.nanoTime();
        this.statistics.now = start;
        this.stalls.begin(start);
        try {
            callback.run();
        }
        catch (Throwable ex) {
            FatalErrors.rethrowIfFatal(ex);
            this.logger.error("{}: {} failed; the loop goes on", this.loopName, source, ex);
        }
        finally {
            this.stalls.end();
        }
        long end = System.nanoTime();
        this.statistics.now = end;
        this.statistics.taskRan(end - start);
        this.stalls.check(source, end - start);
    }

    /** After a task or timer ran: which channels' answers may have changed. */
    private void changedBy(Runnable task) {
        if (task instanceof ChannelWork work) {
            LoopChannel channel = work.channel();
            if (channel != null) {
                this.driver.markForEvaluation(channel);
            }
        }
        else {
            this.driver.evaluateAll(); // the application's own code may have changed any channel
        }
    }

}
