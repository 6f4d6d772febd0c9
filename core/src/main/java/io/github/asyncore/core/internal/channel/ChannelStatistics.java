package io.github.asyncore.core.internal.channel;

import java.time.Instant;

/**
 * Byte counts and activity times of one channel. Written only by the loop thread; published through
 * volatile fields so that snapshots on other threads see current values without locks.
 */
public final class ChannelStatistics {

    private static final long NEVER = Long.MIN_VALUE;

    private final long createdNanos = System.nanoTime();

    /** The wall-clock time of {@link #createdNanos}: every instant is derived from this pair, so it is stable. */
    private final Instant createdAt = Instant.now();

    private volatile long bytesRead;

    private volatile long bytesWritten;

    private volatile long lastReadNanos = NEVER;

    private volatile long lastWriteNanos = NEVER;

    public void read(int bytes, long nowNanos) {
        this.bytesRead += bytes;
        this.lastReadNanos = nowNanos;
    }

    public void written(int bytes, long nowNanos) {
        this.bytesWritten += bytes;
        this.lastWriteNanos = nowNanos;
    }

    public long bytesRead() {
        return this.bytesRead;
    }

    public long bytesWritten() {
        return this.bytesWritten;
    }

    /** @return when the channel last read, or when it was created if it never read, on the nano clock */
    public long lastReadNanos() {
        long last = this.lastReadNanos;
        return (last != NEVER) ? last : this.createdNanos;
    }

    /** @return when the channel last wrote, or when it was created if it never wrote, on the nano clock */
    public long lastWriteNanos() {
        long last = this.lastWriteNanos;
        return (last != NEVER) ? last : this.createdNanos;
    }

    public Instant createdAt() {
        return this.createdAt;
    }

    public Instant lastReadAt() {
        long last = this.lastReadNanos;
        return (last != NEVER) ? toInstant(last) : null;
    }

    public Instant lastWriteAt() {
        long last = this.lastWriteNanos;
        return (last != NEVER) ? toInstant(last) : null;
    }

    private Instant toInstant(long nanos) {
        return this.createdAt.plusNanos(nanos - this.createdNanos);
    }

}
