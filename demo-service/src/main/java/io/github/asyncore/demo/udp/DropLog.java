package io.github.asyncore.demo.udp;

import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * Counts the datagrams dropped for one reason and says when to log them, so that a flood cannot flood
 * the log too: a drop is logged at once when no line was written in the last interval; later drops are
 * held, and reported together in one line when the interval ends. At most one line per interval.
 * <p>
 * Time is the caller's ({@link System#nanoTime()} readings). Not thread-safe: loop thread only.
 */
final class DropLog {

    private final long intervalNanos;

    private boolean anyLine;

    private long lastLineNanos;

    private long held;

    private @Nullable SocketAddress latest;

    private boolean reportPending;

    /** @param intervalNanos the shortest time between two lines */
    DropLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Counts a drop.
     * @param source where the datagram came from
     * @param nowNanos the time
     * @return how many drops to log now, this one and those held included; 0 when the drop is held for
     *         the report at the end of the interval ({@link #needsReport()} then says whether to set a timer)
     */
    long drop(SocketAddress source, long nowNanos) {
        this.latest = source;
        this.held++;
        if (this.anyLine && nowNanos - this.lastLineNanos < this.intervalNanos) {
            return 0;
        }
        return take(nowNanos);
    }

    /**
     * @return {@code true} once for each stretch of held drops: the caller then sets a timer for
     *         {@link #nanosUntilReport} and calls {@link #report} when it fires
     */
    boolean needsReport() {
        if (this.held == 0 || this.reportPending) {
            return false;
        }
        this.reportPending = true;
        return true;
    }

    /**
     * @param nowNanos the time
     * @return how long until the interval since the last line ends
     */
    long nanosUntilReport(long nowNanos) {
        return Math.max(0, this.lastLineNanos + this.intervalNanos - nowNanos);
    }

    /**
     * For the timer at the end of the interval, and for a last line when the server closes.
     * @param nowNanos the time
     * @return how many drops were held since the last line, to log now; 0 when there are none
     */
    long report(long nowNanos) {
        this.reportPending = false;
        return (this.held == 0) ? 0 : take(nowNanos);
    }

    /** @return the source of the latest drop counted */
    @Nullable SocketAddress latest() {
        return this.latest;
    }

    private long take(long nowNanos) {
        long count = this.held;
        this.held = 0;
        this.anyLine = true;
        this.lastLineNanos = nowNanos;
        return count;
    }

}
