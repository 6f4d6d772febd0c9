package io.github.asyncore.core;

/**
 * How {@link Dispatcher#close(CloseReason, CloseMode)} ends a connection: what becomes of the output still
 * owed to the peer, and what the peer sees.
 */
public enum CloseMode {

    /**
     * As {@link Dispatcher#close()}: the socket closes now. Output queued and not yet written is dropped;
     * the peer sees end-of-stream (or a reset, as with any close, when input it sent was left unread).
     */
    CLOSE,

    /**
     * Writes what is queued, then half-closes (TLS close_notify, then the FIN), then discards what the peer
     * still sends until it closes too, or for at most a second, and closes. The handlers see no more input
     * once the drain began. For anything but a connection or connected client it is {@link #CLOSE}.
     */
    DRAIN,

    /**
     * Resets the connection at once ({@code SO_LINGER} zero, then close): output not yet written is dropped
     * and the peer sees a reset, not end-of-stream. For anything but a stream connection it is
     * {@link #CLOSE}.
     */
    ABORT

}
