package io.github.asyncore.core;

/**
 * Work handed to the loop for one channel (a send from another thread, a close-when-done, a timer of
 * its own). The loop knows that only this channel's {@code readable()}/{@code writable()} may have
 * changed, and routes what the work throws to the channel's error handling.
 */
final class ChannelTask implements Runnable {

    private final Dispatcher dispatcher;

    private final Dispatcher.IoAction action;

    ChannelTask(Dispatcher dispatcher, Dispatcher.IoAction action) {
        this.dispatcher = dispatcher;
        this.action = action;
    }

    Dispatcher dispatcher() {
        return this.dispatcher;
    }

    @Override
    public void run() {
        this.dispatcher.invoke(this.action);
    }

    @Override
    public String toString() {
        return "task of " + this.dispatcher;
    }

}
