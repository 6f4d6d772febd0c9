package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.IdleState;

/**
 * The facade's side of a channel, as its {@link ChannelCore} calls it: the user's hooks (asyncore's
 * {@code readable}, {@code handle_read} and the rest, with their defaults or overrides) and the few
 * things only the facade knows (its close, which the user may override; its output queue; who listens for
 * connects and closes). The core calls these on the loop thread only; it never sees the facade's type.
 */
public interface ChannelHandler {

    /** @return whether to wait for input (on a listener: connections) */
    boolean readable();

    /** @return whether to wait until the socket takes output */
    boolean writable();

    /** @throws IOException from socket operations */
    void handleRead() throws IOException;

    /** @throws IOException from socket operations */
    void handleWrite() throws IOException;

    /** @throws IOException from socket operations */
    void handleConnect() throws IOException;

    /** @throws IOException from socket operations */
    void handleAccept() throws IOException;

    /**
     * @param channel an accepted connection, on the thread of the loop that will serve it
     * @param address its peer
     * @throws IOException from socket operations
     */
    void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException;

    /** @throws IOException from socket operations */
    void handleEndOfStream() throws IOException;

    /** @throws IOException from socket operations */
    void handleClose() throws IOException;

    /** @param error what went wrong */
    void handleError(Throwable error);

    /**
     * @param state which idle timeout fired
     * @throws IOException from socket operations
     */
    void handleIdle(IdleState state) throws IOException;

    /** @throws IOException from socket operations */
    void handleWritabilityChanged() throws IOException;

    /** The facade's {@code close()}, which may be overridden; the core scopes its reason around it. */
    void close();

    /** @throws IOException when the facade's output flush fails (after one dispatch's handlers returned) */
    void afterHandlers() throws IOException;

    /** @return whether the facade queues output the loop should drain before closing on shutdown */
    boolean hasPendingOutput();

    /** Drops queued output and returns its memory: the channel is closing or over its limits. */
    void releaseOutput();

    /** The channel is closing: whoever watches its closes (groups, a reconnector) hears it now. */
    void closed();

    /** The closed channel is being given a new socket: the facade forgets what belonged to the old one. */
    void reopened();

    /**
     * A connect ended.
     * @param error why it failed, or {@code null} when it completed
     */
    void connectEnded(Exception error);

    /** The channel has a socket now: the facade joins its map. */
    void joinMap();

    /** @return the context of the map the facade joins, resolving it first if need be */
    ChannelContext resolveContext();

    /** @return the facade's class name, for snapshots */
    String className();

}
