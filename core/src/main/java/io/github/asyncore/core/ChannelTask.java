package io.github.asyncore.core;

import io.github.asyncore.core.internal.loop.ChannelWork;
import io.github.asyncore.core.internal.loop.LoopChannel;

/**
 * Work handed to the loop for one channel (a send from another thread, a close-when-done, a timer of
 * its own). The loop knows that only this channel's {@code readable()}/{@code writable()} may have
 * changed, and routes what the work throws to the channel's error handling. Work for one socket does
 * nothing once the dispatcher was given a new socket after a close, so that nothing meant for the old
 * connection reaches the new one.
 */
final class ChannelTask implements ChannelWork {

    /** The generation of work that runs whatever socket the channel has by then. */
    static final int ANY_SOCKET = -1;

    private final Dispatcher dispatcher;

    /** {@link Dispatcher#generation()} when the work was handed in, or {@link #ANY_SOCKET}. */
    private final int generation;

    private final Dispatcher.IoAction action;

    ChannelTask(Dispatcher dispatcher, int generation, Dispatcher.IoAction action) {
        this.dispatcher = dispatcher;
        this.generation = generation;
        this.action = action;
    }

    @Override
    public LoopChannel channel() {
        return this.dispatcher.loopChannel();
    }

    @Override
    public void run() {
        if (this.generation == ANY_SOCKET || this.generation == this.dispatcher.generation()) {
            this.dispatcher.invoke(this.action);
        }
    }

    @Override
    public String toString() {
        return "task of " + this.dispatcher;
    }

}
