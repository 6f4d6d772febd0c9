package io.github.asyncore.demo.udp;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.asyncore.demo.support.TokenBucket;
import org.jspecify.annotations.Nullable;

/**
 * A token bucket per source IP address, in a table of bounded size. Each bucket holds up to {@code burst}
 * tokens and gains {@code ratePerSecond} a second; a datagram takes one, and without one it is not
 * answered. A new source starts with a full bucket.
 * <p>
 * Forged source addresses cost an attacker nothing, so the table holds at most {@code maxSources}
 * buckets, least recently seen first. A new source takes the place of the least recently seen one only
 * when that one has not been seen for as long as an empty bucket takes to fill up ({@code burst /
 * ratePerSecond}): its bucket is full by then, exactly what it would get as a new source, so forgetting
 * it forgives nothing. When even the least recently seen source is more recent than that, the table is
 * full of sources that may still owe tokens, and new sources share one more bucket of the same rate and
 * burst until room comes free: memory stays bounded, and a spoofed flood cannot push the real senders'
 * drained buckets out.
 * <p>
 * Time is the caller's: every method takes a {@link System#nanoTime()} reading, so tests can drive the
 * clock. Not thread-safe: the UDP echo calls it on its loop thread only.
 */
final class SourceRateLimiter {

    private final long ratePerSecond;

    private final int burst;

    private final int maxSources;

    /** How long an empty bucket takes to fill up: a source unseen for that long can be forgotten. */
    private final long refillNanos;

    /** Access order: the first entry is the least recently seen source. */
    private final LinkedHashMap<InetAddress, TokenBucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    /** For the sources that found no room in the table; starts full on the first use. */
    private @Nullable TokenBucket shared;

    /**
     * @param ratePerSecond tokens each bucket gains per second, at least 1
     * @param burst tokens a bucket holds at most, at least 1
     * @param maxSources buckets kept at once (the shared one aside), at least 1
     */
    SourceRateLimiter(int ratePerSecond, int burst, int maxSources) {
        if (ratePerSecond < 1 || burst < 1 || maxSources < 1) {
            throw new IllegalArgumentException("rate, burst and maxSources must be at least 1, not " + ratePerSecond
                    + ", " + burst + " and " + maxSources);
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxSources = maxSources;
        this.refillNanos = TokenBucket.fillNanos(ratePerSecond, burst);
    }

    /**
     * Takes a token for a datagram from the source.
     * @param source the datagram's source IP address
     * @param nowNanos the time, from {@link System#nanoTime()}
     * @return {@code null} when the datagram may be answered; else {@link DropReason#RATE_LIMITED} (the
     *         source's own bucket is empty) or {@link DropReason#SHARED_RATE_LIMITED} (the source found no
     *         room in the table, and the shared bucket is empty)
     */
    @Nullable DropReason acquire(InetAddress source, long nowNanos) {
        TokenBucket bucket = this.buckets.get(source);
        if (bucket == null) {
            bucket = admit(source, nowNanos);
        }
        if (bucket != null) {
            return bucket.tryTake(nowNanos) ? null : DropReason.RATE_LIMITED;
        }
        if (this.shared == null) {
            this.shared = new TokenBucket(this.ratePerSecond, this.burst, nowNanos);
        }
        return this.shared.tryTake(nowNanos) ? null : DropReason.SHARED_RATE_LIMITED;
    }

    /** @return how many sources have a bucket of their own now */
    int trackedSources() {
        return this.buckets.size();
    }

    /** @return whether the source has a bucket of its own now (without counting as seen) */
    boolean isTracked(InetAddress source) {
        return this.buckets.containsKey(source);
    }

    /** @return a new full bucket for the source in the table, or {@code null} when there is no room */
    private @Nullable TokenBucket admit(InetAddress source, long nowNanos) {
        if (this.buckets.size() >= this.maxSources) {
            Iterator<Map.Entry<InetAddress, TokenBucket>> leastRecentlySeen = this.buckets.entrySet().iterator();
            if (nowNanos - leastRecentlySeen.next().getValue().lastNanos() < this.refillNanos) {
                return null;
            }
            leastRecentlySeen.remove();
        }
        TokenBucket bucket = new TokenBucket(this.ratePerSecond, this.burst, nowNanos);
        this.buckets.put(source, bucket);
        return bucket;
    }

}
