package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.asyncore.core.internal.loop.LogThrottle;
import io.github.asyncore.core.internal.transport.ListenerTransport;
import io.github.asyncore.core.internal.transport.Sockets;

/**
 * A listener's side of accepting: its count of open connections and the {@code max-connections} limit,
 * the hand-over of each connection to the loop that will serve it, and the inheritance of the listener's
 * settings and name by the dispatcher that adopts it. Not API.
 * <p>
 * Adoption is told apart by thread: while a listener's {@code handleAccept} (or, on another loop, its
 * {@code handleAccepted}) runs, the thread knows the listener and the socket it accepted last, so that a
 * dispatcher constructed there with that socket inherits from the listener and holds its count.
 */
public final class AcceptGate {

    /** The listener whose accept handlers run on this thread. */
    private static final ThreadLocal<ChannelCore> acceptingListener = new ThreadLocal<>();

    /** The connection that listener accepted last on this thread, until a dispatcher adopts it. */
    private static final ThreadLocal<SocketChannel> acceptedSocket = new ThreadLocal<>();

    private final ChannelCore channel;

    /** For a listener: its connections open now (accepted, not yet closed). Any thread. */
    private final AtomicInteger openConnections = new AtomicInteger();

    /** For an accepted connection: the listener whose count it is in, until it closes. */
    private volatile ChannelCore acceptedBy;

    /** Limits the log lines of refusals at the limit. Loop thread. */
    private LogThrottle refusalLog;

    AcceptGate(ChannelCore channel) {
        this.channel = channel;
    }

    /** @return for a listener, how many connections it accepted are open now; any thread */
    public int openConnections() {
        return this.openConnections.get();
    }

    /**
     * asyncore's {@code accept()}: one pending connection, counted as accepted and remembered for adoption.
     * @return the connection, or {@code null} when none is pending
     * @throws IOException on socket errors
     */
    public SocketChannel accept() throws IOException {
        if (!(this.channel.transport instanceof ListenerTransport listener)) {
            throw new IllegalStateException(this.channel.handler() + " is not listening");
        }
        SocketChannel socket = listener.accept(this.channel.handler());
        if (socket == null) {
            return null;
        }
        this.channel.traffic().connectionAccepted();
        acceptedSocket.set(socket);
        return socket;
    }

    /**
     * The default {@code handleAccept} after {@code accept()}: refuses the connection at the limit, else
     * counts it and runs {@code handleAccepted} on the loop that will serve it.
     * @param socket the accepted connection
     * @param target the context of the map it joins
     */
    public void admit(SocketChannel socket, ChannelContext target) {
        int limit = this.channel.settings().maxConnections();
        if (limit > 0 && this.openConnections.get() >= limit) {
            refuse(socket, limit);
            return;
        }
        this.openConnections.incrementAndGet(); // until handleAccepted adopts the socket, or does not
        if (target == this.channel.context()) {
            handOver(socket, target);
        }
        else {
            target.executor().execute(() -> handOver(socket, target));
        }
    }

    /** Runs the listener's {@code handleAccept} with this thread knowing the listener. */
    void handleAcceptEvent() throws IOException {
        ChannelCore previous = acceptingListener.get();
        acceptingListener.set(this.channel);
        try {
            this.channel.handler().handleAccept();
        }
        finally {
            acceptedSocket.remove();
            if (previous != null) {
                acceptingListener.set(previous);
            }
            else {
                acceptingListener.remove();
            }
        }
    }

    /** Runs {@code handleAccepted} for one connection on the thread of the loop that will serve it. */
    private void handOver(SocketChannel socket, ChannelContext target) {
        ChannelCore previousListener = acceptingListener.get();
        SocketChannel previousSocket = acceptedSocket.get();
        acceptingListener.set(this.channel);
        acceptedSocket.set(socket);
        SocketAddress address = null;
        try {
            address = socket.getRemoteAddress();
            this.channel.handler().handleAccepted(socket, address);
            if (acceptedSocket.get() == socket) { // no dispatcher adopted it: it does not count
                this.openConnections.decrementAndGet();
            }
        }
        catch (Exception ex) {
            if (acceptedSocket.get() == socket) {
                this.openConnections.decrementAndGet();
            }
            target.countersFor(this.channel.trafficAccount().name()).connectionRejected();
            ChannelCore.logger.warn("{}: setting up the connection from {} failed; closed it: {}", this.channel.handler(),
                    Sockets.format(address), ex.toString(), ex);
            Sockets.closeQuietly(socket);
        }
        finally {
            acceptingListener.set(previousListener);
            acceptedSocket.set(previousSocket);
        }
    }

    private void refuse(SocketChannel socket, int limit) {
        this.channel.traffic().connectionRefused();
        ChannelListeners listeners = this.channel.context().listeners();
        if (!listeners.isEmpty()) {
            listeners.refused(this.channel.snapshot(), Sockets.remoteAddressOf(socket));
        }
        if (this.refusalLog == null) {
            this.refusalLog = new LogThrottle();
        }
        long unlogged = this.refusalLog.admit(System.nanoTime());
        if (unlogged >= 0) {
            ChannelCore.logger.warn("{}: {} connections open, the max-connections limit; refusing new ones (logged at"
                    + " most every 10 s, counted in connectionsRefused; {} more since the last log)",
                    this.channel.handler(), limit, unlogged);
        }
        Sockets.closeQuietly(socket);
    }

    /**
     * A channel adopts a socket: when it is the one the listener of this thread accepted last, the channel
     * inherits from the listener and holds its place in the listener's count.
     * @param adopter the adopting channel
     * @param socket the socket it adopts
     */
    static void adopted(ChannelCore adopter, SocketChannel socket) {
        ChannelCore listener = acceptingListener.get();
        if (listener != null && acceptedSocket.get() == socket) {
            acceptedSocket.remove(); // adopted: this channel now holds the listener's count
            adopter.acceptGate().acceptedBy = listener;
            adopter.inherit(listener);
        }
    }

    /** An accepted connection closed: it leaves its listener's count. */
    void connectionEnded() {
        ChannelCore listener = this.acceptedBy;
        if (listener != null) {
            this.acceptedBy = null;
            listener.acceptGate().openConnections.decrementAndGet();
        }
    }

    void reset() {
        this.acceptedBy = null;
    }

}
