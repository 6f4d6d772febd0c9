package io.github.asyncore.core;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link Reconnector} is doing, as {@link Reconnector#status()} reports it. Immutable; safe on any
 * thread.
 *
 * @param state what it is doing now
 * @param remote the address it connects to (resolved)
 * @param failedAttempts the connect attempts that failed since the dispatcher was last connected (or since
 *        the start): 0 while connected
 * @param connects how many times a connect completed since the start
 * @param nextAttempt when the next attempt is due while {@link State#WAITING}, else {@code null}
 * @param lastFailure why the last attempt failed or the last connection was lost, or {@code null} when
 *        neither happened yet
 */
public record ReconnectStatus(State state, SocketAddress remote, int failedAttempts, long connects,
        Instant nextAttempt, String lastFailure) {

    /**
     * Checks that state and address are present.
     * @throws NullPointerException when either is missing
     */
    public ReconnectStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(remote, "remote");
    }

    /** What a {@link Reconnector} is doing. */
    public enum State {

        /** An attempt runs: the dispatcher's connect (for TLS: its handshake) has not completed yet. */
        CONNECTING,

        /** The dispatcher is connected; {@link ReconnectStatus#connects()} counts it. */
        CONNECTED,

        /** The dispatcher is closed and the next attempt waits for {@link ReconnectStatus#nextAttempt()}. */
        WAITING,

        /**
         * No attempt will be made: not started yet, {@link Reconnector#stop()} was called, the application
         * closed the dispatcher, its loop shut down, or, without a policy, its one connection is gone.
         */
        STOPPED

    }

}
