package io.github.asyncore.core.internal.loop;

/**
 * The loop's busy fraction: time in handlers, tasks and timers over wall time, measured over the window
 * between two readings at least a second apart. Readers drive it (a metrics scrape, a health check, the
 * console): each reading that comes a second or more after the window began closes it and starts the next,
 * and readings within the second get the fraction of the last window closed. So the figure is the load of
 * the last second or more, and nothing runs on the loop to keep it. Any thread. Not API.
 */
public final class BusyWindow {

    private static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    private long startNanos;

    private long startBusyNanos;

    private double fraction;

    /**
     * @param nowNanos {@link System#nanoTime()} when the loop was created
     */
    public BusyWindow(long nowNanos) {
        this.startNanos = nowNanos;
    }

    /**
     * @param nowNanos {@link System#nanoTime()} now
     * @param busyNanos the loop's busy time so far, the callback running now included
     * @return the fraction of the last window closed, between 0 and 1 (0 until the first second has passed)
     */
    public synchronized double fraction(long nowNanos, long busyNanos) {
        long wall = nowNanos - this.startNanos;
        if (wall >= MIN_WINDOW_NANOS) {
            double busy = busyNanos - this.startBusyNanos;
            this.fraction = Math.max(0, Math.min(1, busy / wall));
            this.startNanos = nowNanos;
            this.startBusyNanos = busyNanos;
        }
        return this.fraction;
    }

}
