package io.github.asyncore.core;

import io.github.asyncore.core.internal.loop.ChannelWork;
import io.github.asyncore.core.internal.loop.LoopChannel;

/**
 * Work handed to the loop that changes only channels it marks for evaluation itself (a broadcast queues
 * output, which marks each member), so that the loop need not ask every channel {@code readable()} and
 * {@code writable()} again after it.
 */
interface ChannelsTask extends ChannelWork {

    /** @return {@code null}: the work marks the channels it changes itself */
    @Override
    default LoopChannel channel() {
        return null;
    }

}
