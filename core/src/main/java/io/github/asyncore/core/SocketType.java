package io.github.asyncore.core;

/**
 * The kind of socket a {@link Dispatcher} creates, as the {@code type} argument of asyncore's
 * {@code create_socket(family, type)}. Constants: safe on any thread.
 */
public enum SocketType {

    /** A connection-oriented byte stream: TCP over IPv4 or IPv6, or a Unix-domain stream socket. */
    STREAM,

    /** Connectionless datagrams: UDP over IPv4 or IPv6. */
    DATAGRAM

}
