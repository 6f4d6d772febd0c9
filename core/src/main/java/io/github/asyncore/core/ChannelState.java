package io.github.asyncore.core;

/**
 * Where a channel is in its life, as observers report it. The transitions follow asyncore's flags:
 * {@code connecting}, {@code connected}, {@code accepting}, and closing. Constants: safe on any thread.
 */
public enum ChannelState {

    /** The socket exists but is neither connected nor listening (also an unconnected datagram socket). */
    OPEN,

    /** A connect was started and {@link Dispatcher#handleConnect()} has not run yet. */
    CONNECTING,

    /** Connected to a peer. */
    CONNECTED,

    /** Accepting connections. */
    LISTENING,

    /** A close was asked for and waits for the loop or for pending output (close-when-done). */
    CLOSING,

    /** Closed; the channel has left its map. */
    CLOSED

}
