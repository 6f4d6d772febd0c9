package io.github.asyncore.core.internal.loop;

/**
 * Work handed to the loop that concerns one channel only, so that the loop asks only that channel
 * {@code readable()} and {@code writable()} again after it, not every channel.
 */
public interface ChannelWork extends Runnable {

    /**
     * @return the channel the work changes, or {@code null} when the work marks the channels it changes
     *         itself (a broadcast queues output, which marks each member)
     */
    LoopChannel channel();

}
