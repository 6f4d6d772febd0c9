package io.github.asyncore.core;

import java.net.SocketAddress;

/**
 * Hears about the life of the channels of a {@link ChannelMap}: opened, idle, closed, connections refused
 * at a listener's limit, and dispatcher names the map begins to count traffic under. Register one with
 * {@link ChannelMap#addChannelListener} (or on every loop of a group with
 * {@link EventLoopGroup#addChannelListener}); a map without listeners pays nothing for the feature.
 * <p>
 * Every method is called on the loop thread of the channel (or on the thread acting as it before the loop
 * runs), synchronously, in the order the events happen: for one channel, opened, then any idle events,
 * then closed. Implementations must therefore be quick and must not block: hand the snapshot to another
 * thread (as the Spring Boot starter does through a bounded queue) for anything slow. An exception a
 * listener throws is logged and affects neither the channel nor the other listeners. The snapshots are
 * immutable and may be kept and passed to any thread.
 * <p>
 * "Opened" means ready for traffic: an accepted (or adopted, connected) connection when its dispatcher
 * takes it, a client when its connect completes (just before {@link Dispatcher#handleConnect()}), a
 * listener when it listens, a datagram socket when it is bound or connected. A channel is reported closed
 * only if it was reported opened (a connect that fails is reported neither way), so a listener registered
 * before the loop starts sees opens and closes in pairs. Each method does nothing by default.
 */
public interface ChannelListener {

    /**
     * A channel is ready for traffic.
     * @param channel the channel at that moment
     */
    default void channelOpened(ChannelSnapshot channel) {
    }

    /**
     * An idle timeout fired, just before {@link Dispatcher#handleIdle(IdleState)} is called (which by
     * default closes the channel: the closed event follows).
     * @param channel the channel at that moment
     * @param state which timeout fired
     */
    default void channelIdle(ChannelSnapshot channel, IdleState state) {
    }

    /**
     * A channel closed and left its map.
     * @param channel the channel just after it closed: {@link ChannelState#CLOSED}, with its final byte
     *        counts and the output it still owed
     * @param reason why it closed
     */
    default void channelClosed(ChannelSnapshot channel, CloseReason reason) {
    }

    /**
     * A listener at its {@link ChannelSettings#maxConnections()} limit accepted a connection and closed it
     * at once.
     * @param listener the listener at that moment
     * @param peer the refused peer's address, or {@code null} when the JDK could no longer tell it
     */
    default void connectionRefused(ChannelSnapshot listener, SocketAddress peer) {
    }

    /**
     * The map began counting traffic under a dispatcher name it had not counted under before (see
     * {@link ChannelMap#traffic()}): a channel of a new name joined the map, was renamed, or is an accepted
     * connection whose listener's name is new to this map. Called once per name and map, before anything is
     * counted under it, so that observers (meters) can follow the new name.
     * @param traffic the name's counters at that moment: all zero
     */
    default void dispatcherNamed(DispatcherTraffic traffic) {
    }

}
