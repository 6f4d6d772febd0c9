package io.github.asyncore.core.internal.loop;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which thread runs a loop: at most one at a time, which {@linkplain #claim claims} the loop when its run
 * begins and {@linkplain #release() releases} it when the run ends; {@link #start(Runnable)} reserves the
 * loop for the thread it creates, which then claims it. Also how the last run ended, for snapshots.
 * <p>
 * Any thread, except {@link #release()} and {@link #failed}: the owner's.
 */
public final class LoopThread {

    private final String loopName;

    /** The thread running the loop now, or reserved by {@link #start}; {@code null} while none is. */
    private final AtomicReference<Thread> owner = new AtomicReference<>();

    /**
     * Whether the owner's run has begun, so that a thread {@link #start} reserved claims the loop once and a
     * handler on it cannot run the loop again. Read and written by the owner only.
     */
    private boolean claimed;

    private volatile Throwable failure;

    private volatile Instant stoppedAt;

    /** @param loopName the loop's name: its thread's name, and named in the exceptions */
    public LoopThread(String loopName) {
        this.loopName = loopName;
    }

    /** @return the thread running the loop now (or reserved for it), or {@code null} */
    public Thread owner() {
        return this.owner.get();
    }

    /** @return whether the calling thread runs the loop (or is reserved for it) */
    public boolean isOwner() {
        return this.owner.get() == Thread.currentThread();
    }

    /** @return the owner's name, or {@code "no thread"} */
    public String ownerName() {
        Thread current = this.owner.get();
        return (current != null) ? current.getName() : "no thread";
    }

    /**
     * Creates a (non-daemon) thread named after the loop, reserves the loop for it, and starts it.
     * @param run what the thread runs: the loop's run, which claims it
     * @return the started thread
     * @throws IllegalStateException when a thread already runs the loop
     */
    public Thread start(Runnable run) {
        Thread thread = new Thread(run, this.loopName);
        if (!this.owner.compareAndSet(null, thread)) {
            throw new IllegalStateException(this.loopName + " is already running on " + ownerName());
        }
        thread.start();
        return thread;
    }

    /**
     * Makes the calling thread the owner, when no thread is, or when {@link #start} reserved the loop for
     * it and it has not claimed it yet.
     * @param reservedThread whether the caller may be the thread {@link #start} created
     * @param required whether to throw, instead of returning {@code false}, when the caller cannot own it
     * @return whether the caller owns the loop now
     * @throws IllegalStateException when {@code required} and another thread, or this thread's own run
     *         further up its stack, runs the loop
     */
    public boolean claim(boolean reservedThread, boolean required) {
        Thread me = Thread.currentThread();
        if (this.owner.compareAndSet(null, me)) {
            this.claimed = true;
            this.stoppedAt = null;
            return true;
        }
        Thread current = this.owner.get();
        if (reservedThread && current == me && !this.claimed) {
            this.claimed = true; // the thread start() created and reserved
            this.stoppedAt = null;
            return true;
        }
        if (!required) {
            return false;
        }
        if (current == me) {
            throw new IllegalStateException(this.loopName + " is already running on this thread: a handler must"
                    + " not run its own loop");
        }
        throw new IllegalStateException(this.loopName + " is already running on " + ownerName());
    }

    /** Ends the owner's run: records when, and lets another thread claim the loop. Owner only. */
    public void release() {
        this.claimed = false;
        this.stoppedAt = Instant.now();
        this.owner.set(null);
    }

    /** @param error what ended the owner's run, for snapshots; owner only */
    public void failed(Throwable error) {
        this.failure = error;
    }

    /** @return what ended the last run that failed, or {@code null}; any thread */
    public Throwable failure() {
        return this.failure;
    }

    /** @return when the last run ended, or {@code null} while one runs or before the first; any thread */
    public Instant stoppedAt() {
        return this.stoppedAt;
    }

}
