package io.github.asyncore.core.internal.channel;

import io.github.asyncore.core.internal.loop.ChannelWork;
import io.github.asyncore.core.internal.loop.LoopChannel;

/**
 * Work handed to the loop for one channel (a send from another thread, a close-when-done, a timer of
 * its own). The loop knows that only this channel's {@code readable()}/{@code writable()} may have
 * changed, and what the work throws goes to the channel's error handling. Work for one socket does
 * nothing once the channel was given a new socket after a close, so that nothing meant for the old
 * connection reaches the new one. Not API.
 */
final class ChannelTask implements ChannelWork {

    /** The generation of work that runs whatever socket the channel has by then. */
    static final int ANY_SOCKET = -1;

    private final ChannelCore channel;

    /** {@link ChannelCore#generation()} when the work was handed in, or {@link #ANY_SOCKET}. */
    private final int generation;

    private final IoAction action;

    ChannelTask(ChannelCore channel, int generation, IoAction action) {
        this.channel = channel;
        this.generation = generation;
        this.action = action;
    }

    @Override
    public LoopChannel channel() {
        return this.channel.loopChannel();
    }

    @Override
    public void run() {
        if (this.generation == ANY_SOCKET || this.generation == this.channel.generation()) {
            this.channel.errors().invoke(this.action);
        }
    }

    @Override
    public String toString() {
        return "task of " + this.channel;
    }

}
