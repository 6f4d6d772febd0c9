package io.github.asyncore.core;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * What one channel looked like at one moment, for observers on any thread. Taken by
 * {@link ChannelMap#snapshot()} from fields the loop publishes, without stopping the loop; the values
 * are each current but not taken atomically together.
 *
 * @param id unique for the life of the process, never reused
 * @param name the dispatcher's name ({@link Dispatcher#getName()})
 * @param dispatcher the dispatcher's class name
 * @param kind listener, connection, client or datagram
 * @param state where the channel is in its life
 * @param localAddress the bound address, or {@code null} when not bound yet
 * @param remoteAddress the peer's address, or {@code null} when not connected (listeners, datagrams)
 * @param readable whether the loop last waited for this channel to become readable
 * @param writable whether the loop last waited for this channel to become writable
 * @param bytesRead bytes read from the socket since it was created
 * @param bytesWritten bytes written to the socket since it was created
 * @param pendingOutputBytes bytes queued and not yet written (always 0 for a plain {@link Dispatcher})
 * @param createdAt when the dispatcher's socket was created or adopted
 * @param lastReadAt when bytes were last read, or {@code null} if never
 * @param lastWriteAt when bytes were last written, or {@code null} if never
 * @param loop the name of the loop (and of its map) that serves the channel
 * @param inputEnded whether a read found end-of-stream: the peer half-closed or closed
 *        ({@link Dispatcher#isInputEnded()})
 * @param outputShutdown whether this side sent end-of-stream ({@link Dispatcher#isOutputShutdown()})
 * @param tls the TLS state (protocol and cipher suite once the handshake has finished), or {@code null}
 *        for a plain channel; a listener with TLS settings has one that never completes
 * @param outputWritable whether the channel takes more output without falling behind
 *        ({@link Dispatcher#isWritable()}): false above its high water mark until it drained to the low one
 * @param outputLimit the output limits that close the channel when its peer does not read
 * @param diagnostics mistakes the loop noticed in the dispatcher (a {@code writable()} that spins the loop,
 *        a {@code readable()} that leaves input waiting), in words; empty when none
 */
public record ChannelSnapshot(long id, String name, String dispatcher, ChannelKind kind, ChannelState state,
        SocketAddress localAddress, SocketAddress remoteAddress, boolean readable, boolean writable, long bytesRead,
        long bytesWritten, long pendingOutputBytes, Instant createdAt, Instant lastReadAt, Instant lastWriteAt,
        String loop, boolean inputEnded, boolean outputShutdown, TlsStatus tls, boolean outputWritable,
        OutputLimit outputLimit, List<String> diagnostics) {

    /** @return whether the channel speaks TLS (for a listener: whether its connections will) */
    public boolean isTls() {
        return this.tls != null;
    }

}
