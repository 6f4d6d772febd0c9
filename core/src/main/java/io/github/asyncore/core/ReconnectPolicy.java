package io.github.asyncore.core;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a {@link Reconnector} waits before each new attempt: exponential back-off with jitter, capped. The
 * n-th wait of an outage lasts {@code min(maxDelay, initialDelay * multiplier^(n-1))}, less a random part of
 * up to {@code jitter} of it, so that many clients that lost the same server do not all come back at the same
 * moment. Immutable; safe on any thread.
 *
 * <pre>{@code
 * ReconnectPolicy policy = ReconnectPolicy.DEFAULT.withMaxDelay(Duration.ofSeconds(5));
 * // waits of about 100, 200, 400 ... ms, then 5 s at most, each up to 20 % shorter
 * }</pre>
 *
 * @param initialDelay the first wait, more than zero
 * @param maxDelay the longest wait, at least {@code initialDelay}
 * @param multiplier how much each wait grows over the one before, at least 1.0 (1.0: a fixed delay)
 * @param jitter the largest fraction of a wait taken off at random, from 0.0 (none) to 1.0
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

    /** 100 ms at first, doubling up to 30 s, each wait up to 20 % shorter at random. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(30),
            2.0, 0.2);

    /**
     * Checks the values.
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be more than zero, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must be at least initialDelay (" + initialDelay + "), was "
                    + maxDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1.0 and finite, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0.0 and 1.0, was " + jitter);
        }
    }

    /**
     * The wait before the given attempt of an outage.
     * @param attempt 1 for the first wait of an outage, 2 for the next, and so on
     * @param random where the jitter comes from
     * @return the wait: from {@code (1 - jitter)} times the grown, capped delay up to that delay; never below
     *         zero, never above {@link #maxDelay()}
     * @throws IllegalArgumentException when {@code attempt} is less than 1
     */
    public Duration delay(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
        Objects.requireNonNull(random, "random");
        double max = nanos(this.maxDelay);
        double grown = Math.min(max, nanos(this.initialDelay) * Math.pow(this.multiplier, attempt - 1));
        double jittered = grown * (1.0 - this.jitter * random.nextDouble());
        return Duration.ofNanos((long) Math.max(0.0, Math.min(max, jittered))); // (long) caps at Long.MAX_VALUE
    }

    /**
     * @param initialDelay the first wait, more than zero
     * @return a policy with that first wait and the other values of this one
     */
    public ReconnectPolicy withInitialDelay(Duration initialDelay) {
        return new ReconnectPolicy(initialDelay, this.maxDelay, this.multiplier, this.jitter);
    }

    /**
     * @param maxDelay the longest wait, at least the initial delay
     * @return a policy with that longest wait and the other values of this one
     */
    public ReconnectPolicy withMaxDelay(Duration maxDelay) {
        return new ReconnectPolicy(this.initialDelay, maxDelay, this.multiplier, this.jitter);
    }

    /**
     * @param multiplier how much each wait grows, at least 1.0
     * @return a policy with that growth and the other values of this one
     */
    public ReconnectPolicy withMultiplier(double multiplier) {
        return new ReconnectPolicy(this.initialDelay, this.maxDelay, multiplier, this.jitter);
    }

    /**
     * @param jitter the largest fraction of a wait taken off at random, 0.0 to 1.0
     * @return a policy with that jitter and the other values of this one
     */
    public ReconnectPolicy withJitter(double jitter) {
        return new ReconnectPolicy(this.initialDelay, this.maxDelay, this.multiplier, jitter);
    }

    private static double nanos(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }

}
