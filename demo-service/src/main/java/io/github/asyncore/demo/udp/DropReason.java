package io.github.asyncore.demo.udp;

/** Why the UDP echo dropped a datagram without an answer; each reason is logged on its own. */
enum DropReason {

    /** The source port is the one the server is bound to: another echo on the same port, or itself. */
    OWN_PORT,

    /** The source port is one of {@code demo.udp.blocked-source-ports}. */
    BLOCKED_PORT,

    /** The source port is below {@code demo.udp.min-source-port}. */
    LOW_PORT,

    /** The source IP address spent its burst and sends faster than {@code max-datagrams-per-second}. */
    RATE_LIMITED,

    /**
     * A source the table had no room for (it holds {@code max-sources} recently seen ones) found the bucket
     * that such sources share empty.
     */
    SHARED_RATE_LIMITED,

    /** The datagram is longer than the channel's {@code receive-buffer-size}: echoing it would cut it short. */
    OVERSIZED

}
