package io.github.asyncore.core;

import java.time.Instant;

/**
 * One change in a channel's life, as kept in its recent history ({@link EventLoopGroup#history(long)}): a
 * few dozen per channel, the oldest dropped first. Only transitions are recorded, never a read or a write,
 * so keeping them costs nothing on the data path. Immutable; any thread.
 *
 * @param at when it happened (wall clock)
 * @param kind what happened
 * @param detail what an operator needs to make sense of it (the peer, the TLS protocol, the pending
 *        output, the error, the close reason), or {@code null} when the kind says it all
 */
public record ChannelTransition(Instant at, Kind kind, String detail) {

    /** What happened to the channel. */
    public enum Kind {

        /** The channel is ready for traffic: a listener listens, a connection was accepted. */
        OPENED,

        /** A client's connect completed (after its TLS handshake, when it speaks TLS). */
        CONNECTED,

        /** The TLS handshake finished; the detail names the protocol and cipher suite. */
        TLS_HANDSHAKE_DONE,

        /** Pending output went over the high water mark: the channel stopped reading. */
        READ_PAUSED,

        /** Pending output drained to the low water mark: the channel reads again. */
        READ_RESUMED,

        /** The peer half-closed or closed: a read found end-of-stream. */
        INPUT_ENDED,

        /** This side half-closed: it sent end-of-stream (after TLS close_notify). */
        OUTPUT_SHUTDOWN,

        /** An idle timeout fired; the detail names which one. */
        IDLE,

        /** Pending output went over the soft output limit; it closes the channel if it stays there. */
        OUTPUT_OVER_SOFT_LIMIT,

        /** A handler threw, or the socket failed, other than by a disconnect; the detail is the error. */
        ERROR,

        /** Someone asked for a drain or an abort ({@link CloseMode}); the detail names the mode and why. */
        CLOSE_REQUESTED,

        /** The channel closed; the detail is the {@link CloseReason}. */
        CLOSED

    }

}
