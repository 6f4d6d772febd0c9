package io.github.asyncore.core;

/**
 * The {@link ConnectHook} of the {@link Reconnector} that keeps a dispatcher connected, if any (the
 * generation of its socket, which makes work for an older socket do nothing, is the channel core's). A
 * dispatcher without a reconnector pays a null check per connect.
 */
final class Reconnection {

    /** Told how a connect ended, or {@code null}. Loop thread. */
    private ConnectHook hook;

    /**
     * Sets who hears how connects end, or {@code null} for nobody. Loop thread.
     * @throws IllegalStateException when another hook is set
     */
    void hook(Dispatcher dispatcher, ConnectHook hook) {
        if (hook != null && this.hook != null && this.hook != hook) {
            throw new IllegalStateException(dispatcher + " already has a connect hook (is another Reconnector"
                    + " keeping it connected?)");
        }
        this.hook = hook;
    }

    /** @return whether a reconnector keeps the dispatcher connected (and reports its outages itself) */
    boolean watched() {
        return this.hook != null;
    }

    void connected(Dispatcher dispatcher) {
        ConnectHook current = this.hook;
        if (current != null) {
            current.connected(dispatcher);
        }
    }

    void connectFailed(Dispatcher dispatcher, Exception error) {
        ConnectHook current = this.hook;
        if (current != null) {
            current.connectFailed(dispatcher, error);
        }
    }

}
