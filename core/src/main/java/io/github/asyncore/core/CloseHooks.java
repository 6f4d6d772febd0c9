package io.github.asyncore.core;

import java.util.Arrays;

/**
 * Who must hear that a dispatcher closed (the {@link ChannelGroup}s it is in): added and removed on any
 * thread (copy on write), told on the dispatcher's loop thread when it closes.
 */
final class CloseHooks {

    private static final CloseHook[] NONE = {};

    private volatile CloseHook[] hooks = NONE;

    synchronized void add(CloseHook hook) {
        CloseHook[] current = this.hooks;
        CloseHook[] more = Arrays.copyOf(current, current.length + 1);
        more[current.length] = hook;
        this.hooks = more;
    }

    synchronized void remove(CloseHook hook) {
        CloseHook[] current = this.hooks;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == hook) {
                CloseHook[] fewer = (current.length == 1) ? NONE : new CloseHook[current.length - 1];
                System.arraycopy(current, 0, fewer, 0, i);
                System.arraycopy(current, i + 1, fewer, i, current.length - i - 1);
                this.hooks = fewer;
                return;
            }
        }
    }

    /** Tells every hook; loop thread. */
    void closed(Dispatcher dispatcher) {
        for (CloseHook hook : this.hooks) {
            hook.closed(dispatcher);
        }
    }

    /** Told when a dispatcher closes, on its loop thread. */
    @FunctionalInterface
    interface CloseHook {

        void closed(Dispatcher dispatcher);

    }

}
