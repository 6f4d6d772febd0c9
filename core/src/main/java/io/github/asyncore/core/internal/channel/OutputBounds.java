package io.github.asyncore.core.internal.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.ChannelTransition.Kind;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.OutputLimit;
import io.github.asyncore.core.ScheduledTask;

import org.slf4j.Logger;

/**
 * What holds one channel's output in bounds: the figures (queued on the loop, handed in by other threads and
 * still on their way), the water marks that pause reading and make the channel unwritable, and the
 * {@linkplain io.github.asyncore.core.OutputLimit output limits} that close it. A channel's core owns one; the {@code Dispatcher} keeps the
 * asyncore-facing side (its handlers, {@code isWritable()}); this class decides. Not API.
 * <p>
 * Threads: {@link #reserve(int)} and the figures' getters on any thread; everything else on the channel's loop
 * thread. The plain copies of the limits and marks are read on every send without a volatile read.
 */
public final class OutputBounds {

    /** Logged under the dispatcher's name: the log is about the channel. */
    private static final Logger logger = ChannelCore.logger; // the channel log category operators configure

    private static final VarHandle HANDED_IN;

    static {
        try {
            HANDED_IN = MethodHandles.lookup().findVarHandle(OutputBounds.class, "handedInBytes", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ChannelCore channel;

    /** Output queued on the loop and not yet written, as the loop last published it. */
    private volatile long queuedBytes;

    /**
     * Output other threads handed to the loop for this channel that has not reached the loop's queue yet:
     * counted when {@code send} is called, so that the output limits hold for producers on other threads.
     */
    @SuppressWarnings("unused") // through HANDED_IN
    private volatile long handedInBytes;

    private long hardLimit;

    private int highWaterMark;

    private int lowWaterMark;

    /** Set while pending output is above the high water mark, cleared at the low mark. Loop thread. */
    private boolean readPaused;

    /** {@link #readPaused}, published for other threads. */
    private volatile boolean unwritable;

    /** Whether pending output is above the soft limit, and since when. Loop thread. */
    private boolean overSoftLimit;

    private long overSoftLimitSinceNanos;

    private ScheduledTask softLimitTimer;

    /** Set once the channel went past a bound and is being closed for it. Loop thread. */
    private boolean overflowed;

    OutputBounds(ChannelCore channel, ChannelSettings settings) {
        this.channel = channel;
        settingsChanged(settings);
    }

    /** Takes the limits and marks of new settings. Loop thread. */
    void settingsChanged(ChannelSettings settings) {
        this.hardLimit = settings.outputLimit().hard();
        this.highWaterMark = settings.writeBufferWaterMark().high();
        this.lowWaterMark = settings.writeBufferWaterMark().low();
    }

    /** @return output queued and handed in, not yet written; any thread */
    public long pending() {
        return this.queuedBytes + this.handedInBytes;
    }

    /** @return output queued on the loop, as last published; any thread */
    public long queued() {
        return this.queuedBytes;
    }

    /** @return output other threads handed in that has not reached the loop's queue yet; any thread */
    public long handedIn() {
        return this.handedInBytes;
    }

    /** @return the hard output limit in force, 0 for none; loop thread */
    public long hardLimit() {
        return this.hardLimit;
    }

    /** @return whether reading is paused by the water marks; loop thread */
    public boolean readPaused() {
        return this.readPaused;
    }

    /** @return whether pending output was above the high mark and has not drained to the low one; any thread */
    public boolean unwritable() {
        return this.unwritable;
    }

    /** @return whether the channel went past a bound and is being closed for it; loop thread */
    public boolean overflowed() {
        return this.overflowed;
    }

    /** Publishes the output queued on the loop, without applying marks or limits. Loop thread. */
    public void publish(long queued) {
        if (queued != this.queuedBytes) {
            this.queuedBytes = queued;
        }
    }

    /**
     * Publishes the output queued on the loop and applies the water marks and the output limits to it and
     * what other threads handed in. Loop thread.
     */
    public void apply(long queued) {
        publish(queued);
        long pending = queued + this.handedInBytes;
        if (!this.readPaused && pending > this.highWaterMark) {
            writability(false);
        }
        else if (this.readPaused && pending <= this.lowWaterMark) {
            writability(true);
        }
        OutputLimit limit = this.channel.settings().outputLimit();
        if (limit.overHard(pending)) {
            exceeded(OutputOverflow.HARD, pending, null);
        }
        else if (limit.overSoft(pending)) {
            if (!this.overSoftLimit) {
                this.overSoftLimit = true;
                this.channel.history().record(Kind.OUTPUT_OVER_SOFT_LIMIT, pending + " bytes pending");
                this.overSoftLimitSinceNanos = System.nanoTime();
                if (this.softLimitTimer == null) {
                    this.softLimitTimer = this.channel.executor().schedule(limit.softDuration(),
                            this.channel.channelTask(this::checkSoftLimit));
                }
            }
        }
        else {
            this.overSoftLimit = false;
        }
    }

    /**
     * Counts bytes another thread hands to the loop for the channel, so that they count toward its limits at
     * once. Any thread.
     * @param length the bytes handed in
     * @return {@code false}, counting nothing, when the channel is closed, closing, or would go over its hard
     *         output limit (which closes it)
     */
    public boolean reserve(int length) {
        if (this.channel.isClosed() || this.channel.isClosing()) {
            return false;
        }
        long handedIn = (long) HANDED_IN.getAndAdd(this, (long) length) + length;
        long pending = this.queuedBytes + handedIn;
        if (this.channel.settings().outputLimit().overHard(pending)) {
            HANDED_IN.getAndAdd(this, (long) -length);
            this.channel.markClosing(); // later sends are refused at once; the loop closes the channel
            this.channel.executor()
                .execute(this.channel.channelTask(() -> exceeded(OutputOverflow.HARD, pending, null)));
            return false;
        }
        return true;
    }

    /**
     * The bytes counted by {@link #reserve} reached the loop. Loop thread.
     * @param length as reserved
     */
    public void arrived(int length) {
        HANDED_IN.getAndAdd(this, (long) -length);
    }

    /**
     * The channel's output went past a bound: drop what is queued and close the channel, after the handler or
     * task running now (so that no user handler runs inside another channel's send). Sends are refused from
     * now on. Loop thread.
     * @param overflow which bound
     * @param pending the pending output at that moment
     * @param memory why no output memory could be had, for {@link OutputOverflow#MEMORY}
     */
    public void exceeded(OutputOverflow overflow, long pending, String memory) {
        ChannelCore closing = this.channel;
        if (closing.isClosed() || this.overflowed) {
            return;
        }
        this.overflowed = true;
        closing.markClosing();
        closing.traffic().outputLimitClose(overflow);
        log(overflow, pending, memory);
        closing.handler().releaseOutput();
        closing.executor().execute(closing.channelTask(() -> closing.errors().withCloseCause(CloseReason.OUTPUT_LIMIT, () -> {
            if (!closing.isClosed()) {
                closing.handler().handleClose();
                closing.handler().close();
            }
        })));
    }

    /** The channel closed: its soft-limit timer has nothing left to watch. Loop thread. */
    void closed() {
        if (this.softLimitTimer != null) {
            this.softLimitTimer.cancel();
        }
    }

    /**
     * The closed channel was given a new socket: nothing is queued for it, reading is not paused and no bound
     * was crossed. Bytes other threads handed in for the old socket stay counted until their tasks reach the
     * loop (which drops them). Loop thread.
     */
    void reopened() {
        closed();
        this.softLimitTimer = null;
        this.queuedBytes = 0;
        this.readPaused = false;
        this.unwritable = false;
        this.overSoftLimit = false;
        this.overflowed = false;
    }

    private void writability(boolean writable) {
        this.readPaused = !writable;
        this.unwritable = !writable;
        this.channel.history().record(writable ? Kind.READ_RESUMED : Kind.READ_PAUSED, pending() + " bytes pending");
        ChannelCore changed = this.channel;
        changed.executor().execute(changed.channelTask(() -> { // after the handler or task running now
            if (!changed.isClosed() && !changed.isClosing()) {
                changed.handler().handleWritabilityChanged();
            }
        }));
    }

    /** The soft limit's timer: closes the channel if its output stayed above the limit all along. */
    private void checkSoftLimit() {
        this.softLimitTimer = null;
        if (this.channel.isClosed() || !this.overSoftLimit) {
            return;
        }
        Duration duration = this.channel.settings().outputLimit().softDuration();
        long left = duration.toNanos() - (System.nanoTime() - this.overSoftLimitSinceNanos);
        if (left > 0) { // it dropped below and rose again meanwhile: measure from then
            this.softLimitTimer = this.channel.executor().schedule(Duration.ofNanos(left),
                    this.channel.channelTask(this::checkSoftLimit));
            return;
        }
        exceeded(OutputOverflow.SOFT, pending(), null);
    }

    private void log(OutputOverflow overflow, long pending, String memory) {
        long unlogged = this.channel.loopStatistics().outputLimitLog.admit(System.nanoTime());
        if (unlogged < 0) {
            return;
        }
        OutputLimit limit = this.channel.settings().outputLimit();
        String why = switch (overflow) {
            case HARD -> pending + " bytes of output pending, over its output-hard-limit of " + limit.hard() + " bytes";
            case SOFT -> pending + " bytes of output pending, over its output-soft-limit of " + limit.soft()
                    + " bytes for " + limit.softDuration().toMillis() + " ms";
            case MEMORY -> pending + " bytes of output pending when the loop ran out of output memory (" + memory
                    + ")";
        };
        logger.warn("{}: {}; closing it and dropping its output (its peer does not read what it is sent). Logged at"
                + " most every 10 s; {} more such closes since the last log", this.channel, why, unlogged);
    }

}
