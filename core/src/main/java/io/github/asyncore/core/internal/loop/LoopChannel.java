package io.github.asyncore.core.internal.loop;

import java.nio.channels.Selector;

/**
 * One channel as the selector loop drives it: what it waits for, what runs when it is ready, and its part
 * of a graceful shutdown. The loop knows channels only through this interface; its log lines name a channel
 * by {@code toString()}. Loop thread, every method.
 */
public interface LoopChannel {

    /**
     * Asks the channel what it waits for and (re-)registers it with the selector.
     * @param selector the loop's selector
     * @param draining whether a graceful shutdown is under way (no more input for the handlers)
     */
    void updateInterest(Selector selector, boolean draining);

    /**
     * Runs the channel's handlers for the operations the selector reported ready.
     * @param readyOps the key's ready set
     */
    void dispatch(int readyOps);

    /** @return whether the channel is a listener, which a shutdown closes first */
    boolean isListener();

    /**
     * One step of a graceful shutdown.
     * @param nowNanos the loop's clock
     * @param graceNanos how long to wait for the peer to close after our end-of-stream
     * @return whether the channel may be closed now
     */
    boolean drainStep(long nowNanos, long graceNanos);

    /** @return whether output waits that the loop should drain before closing on shutdown */
    boolean hasPendingOutput();

    /** @return the output bytes not written yet, for the drain report */
    long pendingOutputBytes();

    /** Closes the channel because the loop shuts down. */
    void closeForShutdown();

    /** Closes the channel because the loop thread failed; best effort: never throws, whatever the close does. */
    void closeAfterFailure();

    /** @return whether the loop has the channel queued for evaluation */
    boolean queuedForEvaluation();

    /** @param queued whether the loop has the channel queued for evaluation */
    void queuedForEvaluation(boolean queued);

}
