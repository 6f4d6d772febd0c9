package io.github.asyncore.core;

/**
 * Which idle timeout fired, passed to {@link Dispatcher#handleIdle(IdleState)} on the loop thread.
 * Constants: safe on any thread.
 */
public enum IdleState {

    /** Nothing was read for {@link ChannelSettings#readIdleTimeout()}. */
    READER_IDLE,

    /** Nothing was written for {@link ChannelSettings#writeIdleTimeout()}. */
    WRITER_IDLE,

    /** Nothing was read or written for {@link ChannelSettings#idleTimeout()}. */
    ALL_IDLE

}
