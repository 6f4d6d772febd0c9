package io.github.asyncore.core.internal.channel;

import java.util.concurrent.Executor;

import io.github.asyncore.core.EventExecutor;
import io.github.asyncore.core.internal.loop.LoopBuffers;
import io.github.asyncore.core.internal.loop.LoopChannel;
import io.github.asyncore.core.internal.loop.LoopStatistics;

/**
 * What a channel's core needs from the map it joins: its loop, the loop's buffers and counters, the map's
 * listeners and per-name traffic counters, and its evaluation queue. The map implements it; the core knows
 * nothing else of the map.
 */
public interface ChannelContext {

    /** @return the map's name; any thread */
    String name();

    /** @return the loop as channels see it; any thread */
    EventExecutor executor();

    /** @return the buffers the loop lends its channels; loop thread */
    LoopBuffers buffers();

    /** @return the loop-wide counters */
    LoopStatistics statistics();

    /** @return where TLS engines run their delegated tasks, or {@code null} for the loop thread; any thread */
    Executor handshakeExecutor();

    /** @return the listeners to notify; loop thread */
    ChannelListeners listeners();

    /**
     * @param dispatcherName the name traffic counts under
     * @return that name's counters, added if new; loop thread
     */
    DispatcherCounters countersFor(String dispatcherName);

    /**
     * Asks the loop to evaluate the channel's {@code readable()}/{@code writable()} again. Loop thread.
     * @param channel the channel
     */
    void markForEvaluation(LoopChannel channel);

    /** Lets the selector release closed sockets now, when no thread runs the loop. Loop thread. */
    void releaseClosedChannels();

    /**
     * The channel leaves the map (it closed). Loop thread.
     * @param id the channel's id
     */
    void remove(long id);

}
