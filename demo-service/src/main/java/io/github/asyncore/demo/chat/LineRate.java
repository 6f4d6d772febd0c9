package io.github.asyncore.demo.chat;

/**
 * A token bucket for one chatter's lines: {@code burst} lines at once, then {@code rate} a second. Used on
 * the session's loop thread only; the clock reading is passed in, so that tests need not wait.
 */
final class LineRate {

    private final double perNano;

    private final double burst;

    private double tokens;

    private long lastNanos;

    LineRate(double linesPerSecond, int burst, long nowNanos) {
        this.perNano = linesPerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /**
     * @param nowNanos the clock now ({@link System#nanoTime()})
     * @return whether one more line may go now (and counts it)
     */
    boolean tryAcquire(long nowNanos) {
        this.tokens = Math.min(this.burst, this.tokens + (nowNanos - this.lastNanos) * this.perNano);
        this.lastNanos = nowNanos;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return true;
        }
        return false;
    }

}
