package io.github.asyncore.core;

/**
 * Why a channel closed, as {@link Dispatcher#getCloseReason()} and {@link ChannelListener#channelClosed}
 * report it. The reason is decided on the loop thread when {@link Dispatcher#close()} runs, from the event
 * whose handling led to it: a close made while asyncore handles the peer's end-of-stream is {@link #PEER},
 * one made in {@link Dispatcher#handleIdle(IdleState)} is {@link #IDLE_TIMEOUT}, and so on, whether the
 * default handler or an override calls {@code close()}. A close-when-done keeps the reason in force when it
 * was asked for. A close that no such event led to is {@link #APPLICATION}. Constants: safe on any thread.
 */
public enum CloseReason {

    /**
     * The peer ended the connection: a read found end-of-stream (and the channel closed while handling it,
     * as by default once its pending output is written), or a read or write met a disconnect error
     * (connection reset, broken pipe). A dispatcher that answers a half-close and closes later, outside
     * {@link Dispatcher#handleEndOfStream()}, reports {@link #APPLICATION}.
     */
    PEER,

    /** An idle timeout fired: the channel closed in {@link Dispatcher#handleIdle(IdleState)}. */
    IDLE_TIMEOUT,

    /**
     * An operator closed it from outside the application's code, such as the actuator's
     * {@code DELETE /actuator/channels/{id}}.
     */
    OPERATOR,

    /**
     * Something failed: a handler threw (the channel closed in {@link Dispatcher#handleError(Throwable)}),
     * a connect failed or timed out, an {@link AsyncChat} frame outgrew the maximum frame size, or the
     * loop thread itself died.
     */
    ERROR,

    /**
     * The channel owed its peer more output than it may hold: over its hard
     * {@linkplain OutputLimit output limit}, over the soft limit for too long, or its send needed output
     * memory that the loop's ceiling ({@link ChannelMap#setMaxOutputMemory(long)}) or the JVM's direct
     * memory could not give. What was still queued for the peer is dropped.
     */
    OUTPUT_LIMIT,

    /** The loop shut down: a graceful drain or {@link EventLoop#close()} closed it. */
    SHUTDOWN,

    /**
     * The application's own code closed it ({@link Dispatcher#close()} or
     * {@link BufferedDispatcher#closeWhenDone()}) outside the handling of any of the events above, for
     * example a client that got its whole answer, or a server that finished its response.
     */
    APPLICATION

}
