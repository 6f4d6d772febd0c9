package io.github.asyncore.core;

/**
 * What a dispatcher keeps so that it can be connected again after a close (see
 * {@link Dispatcher#createSocket(java.net.ProtocolFamily, SocketType)}): the generation of its socket, so
 * that work handed in for an older socket does nothing for the new one ({@link ChannelTask}), and the
 * {@link ConnectHook} of the {@link Reconnector} that keeps it connected. A dispatcher never reopened and
 * without a reconnector pays a volatile read per task and a null check per connect.
 */
final class Reconnection {

    /** How many times the dispatcher was given a socket after a close. Written on the loop thread. */
    private volatile int generation;

    /** Told how a connect ended, or {@code null}. Loop thread. */
    private ConnectHook hook;

    /** @return the generation of the dispatcher's socket; any thread */
    int generation() {
        return this.generation;
    }

    /** The dispatcher gets a new socket: work for the old one does nothing from now on. Loop thread. */
    void nextSocket() {
        this.generation++;
    }

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
