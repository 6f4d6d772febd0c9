package io.github.asyncore.core;

/**
 * What role a channel plays, as observers (snapshots, the actuator endpoint) report it. Constants: safe
 * on any thread.
 */
public enum ChannelKind {

    /** A stream socket that accepts connections ({@link Dispatcher#listen(int)}). */
    LISTENER,

    /** A stream connection accepted by a listener and adopted by a dispatcher. */
    CONNECTION,

    /** A stream socket this side connects ({@link Dispatcher#connect(java.net.SocketAddress)}). */
    CLIENT,

    /** A datagram (UDP) socket. */
    DATAGRAM

}
