package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.ChannelTransition.Kind;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.IdleState;
import io.github.asyncore.core.ScheduledTask;

/**
 * A channel's idle timeouts (Netty's {@code IdleStateHandler}): one timer for the soonest of the read,
 * write and all-idle timeouts of its settings, measured from the last byte read or written (or the connect,
 * or the last time the timeout fired). Loop thread. Not API.
 */
public final class IdleTracker {

    private final ChannelCore channel;

    private ScheduledTask timer;

    private final long[] idleSince = new long[IdleState.values().length];

    IdleTracker(ChannelCore channel) {
        this.channel = channel;
    }

    /** @return whether a timer is set */
    boolean armed() {
        return this.timer != null;
    }

    /** (Re)starts the timeouts from now, if the settings have any. */
    void arm() {
        cancel();
        if (this.channel.isClosed() || !this.channel.settings().hasIdleTimeout()) {
            return;
        }
        long now = System.nanoTime();
        Arrays.fill(this.idleSince, now);
        scheduleCheck(now);
    }

    void cancel() {
        ScheduledTask current = this.timer;
        this.timer = null;
        if (current != null) {
            current.cancel();
        }
    }

    /** The channel gets a new socket: its old timer's work will not run (its generation is old). */
    void reset() {
        this.timer = null;
        Arrays.fill(this.idleSince, 0);
    }

    private void scheduleCheck(long now) {
        long next = Long.MAX_VALUE;
        for (IdleState state : IdleState.values()) {
            long timeout = timeout(state).toNanos();
            if (timeout > 0) {
                next = Math.min(next, base(state) + timeout - now);
            }
        }
        if (next != Long.MAX_VALUE) {
            this.timer = this.channel.executor().schedule(Duration.ofNanos(Math.max(0, next)),
                    this.channel.channelTask(this::check));
        }
    }

    private void check() {
        this.timer = null;
        ChannelCore core = this.channel;
        if (core.isClosed()) {
            return;
        }
        long now = System.nanoTime();
        for (IdleState state : IdleState.values()) {
            long timeout = timeout(state).toNanos();
            if (timeout > 0 && now - base(state) >= timeout) {
                this.idleSince[state.ordinal()] = now;
                core.traffic().idleTimeout();
                core.history().record(Kind.IDLE, state);
                if (core.announced()) {
                    core.context().listeners().idle(core.snapshot(), state);
                }
                core.errors().invoke(() -> core.errors().withCloseCause(CloseReason.IDLE_TIMEOUT, () -> fire(state)));
                if (core.isClosed()) {
                    return;
                }
            }
        }
        if (this.timer == null) {
            scheduleCheck(now);
        }
    }

    private void fire(IdleState state) throws IOException {
        this.channel.handler().handleIdle(state);
    }

    private long base(IdleState state) {
        ChannelStatistics statistics = this.channel.statistics();
        long activity = switch (state) {
            case READER_IDLE -> statistics.lastReadNanos();
            case WRITER_IDLE -> statistics.lastWriteNanos();
            case ALL_IDLE -> latest(statistics.lastReadNanos(), statistics.lastWriteNanos());
        };
        return latest(activity, this.idleSince[state.ordinal()]);
    }

    /**
     * @param state an idle state
     * @return its timeout in the channel's settings, zero for none
     */
    public Duration timeout(IdleState state) {
        ChannelSettings settings = this.channel.settings();
        return switch (state) {
            case READER_IDLE -> settings.readIdleTimeout();
            case WRITER_IDLE -> settings.writeIdleTimeout();
            case ALL_IDLE -> settings.idleTimeout();
        };
    }

    private static long latest(long a, long b) {
        return (a - b > 0) ? a : b;
    }

}
