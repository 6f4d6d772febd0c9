package io.github.asyncore.core;

/**
 * Who must hear how a client dispatcher's connect ended (the {@link Reconnector} that keeps it connected):
 * set and told on the dispatcher's loop thread, at most one per dispatcher. A dispatcher without one
 * pays a null check per connect.
 */
interface ConnectHook {

    /**
     * The connect completed (for TLS: its handshake too); {@link Dispatcher#handleConnect()} runs next.
     * @param dispatcher the dispatcher, connected
     */
    void connected(Dispatcher dispatcher);

    /**
     * The connect failed: refused, timed out, or failed at once; the dispatcher is closed next (with
     * {@link CloseReason#ERROR}, unless its {@code handleError} closed it for another reason).
     * @param dispatcher the dispatcher
     * @param error why
     */
    void connectFailed(Dispatcher dispatcher, Exception error);

}
