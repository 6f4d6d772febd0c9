package io.github.asyncore.boot.actuate.endpoint;

import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.ChannelState;
import io.github.asyncore.core.ChannelTransition;
import io.github.asyncore.core.CloseMode;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.github.asyncore.core.ReconnectStatus;
import io.github.asyncore.core.Reconnector;
import io.github.asyncore.core.TlsStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} {@code channels}: every live channel of an {@link EventLoopGroup} with a
 * summary of each of its loops, one channel by id, and a delete operation that closes one channel from
 * the operator's side. Its default access is read-only, so closing needs
 * {@code management.endpoint.channels.access=unrestricted}.
 * <p>
 * Threads: every operation may run on any thread (an HTTP or JMX request thread). Reads only take
 * snapshots, which never touch loop-owned state; {@link #closeChannel(long)} calls
 * {@link Dispatcher#close()}, which hands the close to the channel's loop.
 */
@Endpoint(id = "channels", defaultAccess = Access.READ_ONLY)
public class ChannelsEndpoint {

    private final EventLoopGroup group;

    private final Supplier<Map<String, ReconnectStatus>> clients;

    /**
     * @param group the loops whose channels the endpoint shows
     */
    public ChannelsEndpoint(EventLoopGroup group) {
        this(group, Map::of);
    }

    /**
     * @param group the loops whose channels the endpoint shows
     * @param clients the client dispatchers kept connected by a {@link Reconnector}, with their state, by
     *        name; called on the request's thread
     */
    public ChannelsEndpoint(EventLoopGroup group, Supplier<Map<String, ReconnectStatus>> clients) {
        this.group = group;
        this.clients = clients;
    }

    /**
     * Every loop, every live channel ordered by id (optionally filtered), and the state of every client
     * kept connected (connected, connecting, or waiting to reconnect: a client between two attempts has no
     * live channel, so it shows only here).
     * @param kind only channels of this kind ({@link ChannelKind}, any case), or {@code null} (or blank)
     *        for all
     * @param state only channels in this state ({@link ChannelState}, any case), or {@code null} (or
     *        blank) for all
     * @return the loops, the channels and the clients
     * @throws InvalidEndpointRequestException when {@code kind} or {@code state} names no constant (a 400
     *         over HTTP)
     */
    @ReadOperation
    public ChannelsDescriptor channels(@Nullable String kind, @Nullable String state) {
        Predicate<ChannelSnapshot> filter = matching("kind", ChannelKind.class, kind, ChannelSnapshot::kind)
            .and(matching("state", ChannelState.class, state, ChannelSnapshot::state));
        List<LoopDescriptor> loops = this.group.loopSnapshots().stream().map(LoopDescriptor::of).toList();
        List<ChannelDescriptor> channels = this.group.snapshot()
            .stream()
            .filter(filter)
            .map((snapshot) -> ChannelDescriptor.of(snapshot, null))
            .toList();
        List<ClientDescriptor> clients = this.clients.get()
            .entrySet()
            .stream()
            .map((client) -> ClientDescriptor.of(client.getKey(), client.getValue()))
            .toList();
        return new ChannelsDescriptor(loops, channels, clients);
    }

    /**
     * One live channel.
     * @param id the channel's id
     * @return the channel, or {@code null} when no live channel has that id (a 404 over HTTP)
     */
    @ReadOperation
    public @Nullable ChannelDescriptor channel(@Selector long id) {
        List<ChannelTransition> history = this.group.history(id).orElse(List.of());
        return this.group.snapshot(id).map((snapshot) -> ChannelDescriptor.of(snapshot, history)).orElse(null);
    }

    /**
     * Closes one channel from this side, as {@link Dispatcher#close()} does, with the reason
     * {@link CloseReason#OPERATOR}: the peer of a connection sees end-of-stream. The close is handed to the
     * channel's loop, so the channel may still be listed, as {@code CLOSING}, for a moment after this
     * returns.
     * @param id the channel's id
     * @return the channel as it was just before it was closed, or {@code null} when no live channel has
     *         that id (over HTTP, {@link ChannelsEndpointWebExtension} turns that into a 404)
     */
    @DeleteOperation
    public @Nullable ChannelDescriptor closeChannel(@Selector long id) {
        return closeChannel(id, CloseMode.CLOSE);
    }

    /**
     * Closes one channel from this side with the reason {@link CloseReason#OPERATOR}, in one of the
     * {@linkplain CloseMode modes}: {@code CLOSE} as {@link #closeChannel(long)}, {@code DRAIN} (queued output
     * written, then end-of-stream) or {@code ABORT} (a reset; queued output dropped). Over HTTP,
     * {@link ChannelsEndpointWebExtension} offers it as {@code DELETE /actuator/channels/{id}?mode=}.
     * @param id the channel's id
     * @param mode how to close it
     * @return the channel as it was just before the close was asked, or {@code null} when no live channel has
     *         that id
     */
    public @Nullable ChannelDescriptor closeChannel(long id, CloseMode mode) {
        Optional<ChannelSnapshot> snapshot = this.group.snapshot(id);
        if (snapshot.isEmpty()) {
            return null;
        }
        this.group.find(id).ifPresent((dispatcher) -> dispatcher.close(CloseReason.OPERATOR, mode));
        return ChannelDescriptor.of(snapshot.get(), null);
    }

    /**
     * Parses a close mode as the endpoint's web extension receives it.
     * @param mode {@code close}, {@code drain} or {@code abort} (any case), or {@code null} (or blank) for
     *        {@code close}
     * @return the mode
     * @throws InvalidEndpointRequestException when {@code mode} names none (a 400 over HTTP)
     */
    static CloseMode closeMode(@Nullable String mode) {
        return (mode == null || mode.isBlank()) ? CloseMode.CLOSE : parse("mode", CloseMode.class, mode);
    }

    private static <E extends Enum<E>> Predicate<ChannelSnapshot> matching(String parameter, Class<E> type,
            @Nullable String value, Function<ChannelSnapshot, E> property) {
        if (value == null || value.isBlank()) {
            return (snapshot) -> true;
        }
        E wanted = parse(parameter, type, value);
        return (snapshot) -> property.apply(snapshot) == wanted;
    }

    private static <E extends Enum<E>> E parse(String parameter, Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            String expected = Arrays.stream(type.getEnumConstants())
                .map((constant) -> constant.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
            String reason = "Unknown " + parameter + " '" + value + "', expected one of " + expected;
            throw new InvalidEndpointRequestException(reason, reason, ex);
        }
    }

    private static @Nullable String format(@Nullable SocketAddress address) {
        return (address != null) ? Dispatcher.format(address) : null;
    }

    /**
     * The answer of {@link #channels(String, String)}: the loops, the channels and the clients. Immutable;
     * any thread.
     *
     * @param loops a summary of every loop, the acceptor first
     * @param channels the live channels that matched, ordered by id
     * @param clients the clients kept connected, by name (in registration order)
     */
    public record ChannelsDescriptor(List<LoopDescriptor> loops, List<ChannelDescriptor> channels,
            List<ClientDescriptor> clients) implements OperationResponseBody {
    }

    /**
     * A client dispatcher kept connected to one remote address, from its {@link ReconnectStatus};
     * a {@code null} value is left out of the JSON. Immutable; any thread.
     *
     * @param name the client's (bean) name
     * @param remoteAddress where it connects
     * @param state {@code CONNECTING}, {@code CONNECTED}, {@code WAITING} (for the next attempt) or
     *        {@code STOPPED} (no further attempts: closed by the application, shut down, or reconnecting
     *        is off)
     * @param failedAttempts attempts that failed since the last connection
     * @param connects connections made since start-up
     * @param nextAttempt when the next attempt is due, or {@code null} when none is waiting
     * @param lastFailure why the last connection failed or closed, or {@code null}
     */
    public record ClientDescriptor(String name, @Nullable String remoteAddress, ReconnectStatus.State state,
            int failedAttempts, long connects, @Nullable Instant nextAttempt, @Nullable String lastFailure) {

        static ClientDescriptor of(String name, ReconnectStatus status) {
            return new ClientDescriptor(name, format(status.remote()), status.state(), status.failedAttempts(),
                    status.connects(), status.nextAttempt(), status.lastFailure());
        }

    }

    /**
     * A summary of one event loop, from its {@link LoopSnapshot}: the counters are cumulative since the
     * loop was created; a {@code null} value is left out of the JSON. Immutable; any thread.
     *
     * @param name the loop's (and its map's) name
     * @param thread the name of the thread running the loop, or {@code null} when none does
     * @param running whether a thread runs the loop now
     * @param channels live channels in the loop's map
     * @param iterations select iterations completed
     * @param pendingTasks tasks handed to the loop and not yet run
     * @param scheduledTimers timers waiting for their deadline
     * @param stalls handler, task or timer runs that took longer than the stall threshold
     * @param stalled whether the callback running now has run longer than the stall threshold
     * @param busyFor how long the callback running now has been running ({@code PT0S} when none runs)
     * @param stallThreshold the run time above which a callback counts as a stall
     * @param handlerErrors exceptions from handlers that reached {@code handleError}
     * @param connectionsAccepted connections accepted by the loop's listeners
     * @param connectionsRejected accepted connections closed because setting them up failed
     * @param connectionsRefused connections closed at once because their listener was at max-connections
     * @param tlsHandshakes TLS handshakes that finished
     * @param tlsHandshakeFailures TLS handshakes that failed (refused certificates, timeouts, garbage, or a
     *        peer that closed the connection after starting one)
     * @param idleTimeouts idle timeouts that fired
     * @param connectTimeouts connect timeouts that fired
     * @param bytesRead bytes read by the loop's channels
     * @param bytesWritten bytes written by the loop's channels
     * @param outputHardLimitCloses channels closed because their pending output went over the output hard
     *        limit
     * @param outputSoftLimitCloses channels closed because their pending output stayed over the output soft
     *        limit for its duration
     * @param outputMemoryCloses channels closed because their send needed output memory the loop could not
     *        lend (its max-output-memory, or the JVM's direct memory, was used up)
     * @param outputMemoryUsed bytes of output memory lent to the loop's channels now
     * @param maxOutputMemory the most output memory the loop lends at once
     * @param failure the error that ended the loop thread, or {@code null} if it did not fail
     * @param handlerRuns I/O handler calls (one per ready channel per iteration)
     * @param busyTime time spent in handlers, tasks and timers
     * @param busyFraction the share of wall time the loop was busy over the last second or more, 0 to 1
     * @param spinningWriters channels flagged because {@code writable()} stayed true while nothing was written
     * @param stuckReaders channels flagged because {@code readable()} stayed false while input waited
     */
    public record LoopDescriptor(String name, @Nullable String thread, boolean running, int channels,
            long iterations, int pendingTasks, int scheduledTimers, long stalls, boolean stalled, Duration busyFor,
            Duration stallThreshold, long handlerErrors, long connectionsAccepted, long connectionsRejected,
            long connectionsRefused, long tlsHandshakes, long tlsHandshakeFailures, long idleTimeouts,
            long connectTimeouts, long bytesRead, long bytesWritten, long outputHardLimitCloses,
            long outputSoftLimitCloses, long outputMemoryCloses, long outputMemoryUsed, long maxOutputMemory,
            @Nullable String failure, long handlerRuns, Duration busyTime, double busyFraction, long spinningWriters,
            long stuckReaders) {

        static LoopDescriptor of(LoopSnapshot loop) {
            Throwable failure = loop.failure();
            return new LoopDescriptor(loop.name(), loop.thread(), loop.running(), loop.channels(), loop.iterations(),
                    loop.pendingTasks(), loop.scheduledTimers(), loop.stalls(), loop.stalled(), loop.busyFor(),
                    loop.stallThreshold(), loop.handlerErrors(), loop.connectionsAccepted(),
                    loop.connectionsRejected(), loop.connectionsRefused(), loop.tlsHandshakes(),
                    loop.tlsHandshakeFailures(), loop.idleTimeouts(), loop.connectTimeouts(),
                    loop.bytesRead(), loop.bytesWritten(), loop.outputHardLimitCloses(), loop.outputSoftLimitCloses(),
                    loop.outputMemoryCloses(), loop.outputMemoryUsed(), loop.maxOutputMemory(),
                    (failure != null) ? failure.toString() : null, loop.handlerRuns(), loop.busyTime(),
                    loop.busyFraction(), loop.spinningWriters(), loop.stuckReaders());
        }

    }

    /**
     * One channel, from its {@link ChannelSnapshot}. Immutable; any thread. As in all of Spring Boot's
     * endpoints, a {@code null} value is left out of the JSON rather than written as {@code null}.
     *
     * @param id unique for the life of the process, never reused
     * @param name the dispatcher's name: its bean name, or its listener's name and its id for an accepted
     *        connection
     * @param dispatcher the dispatcher's class name
     * @param kind listener, connection, client or datagram
     * @param state where the channel is in its life
     * @param localAddress the bound address ({@code ip:port}, {@code [v6]:port} or a socket file's path),
     *        or {@code null} when not bound
     * @param remoteAddress the peer's address, or {@code null} when not connected
     * @param readable whether the loop last waited for the channel to become readable
     * @param writable whether the loop last waited for the channel to become writable
     * @param bytesRead bytes read from the socket
     * @param bytesWritten bytes written to the socket
     * @param pendingOutputBytes bytes queued and not yet written, with those other threads sent that are on
     *        their way to the loop
     * @param outputWritable whether the channel takes more output without falling behind: false above its
     *        high water mark until it drained to the low one
     * @param outputHardLimit pending output above which the channel is closed at once (0: no limit)
     * @param outputSoftLimit pending output above which the channel is closed after the soft limit's
     *        duration (0: no limit)
     * @param createdAt when the socket was created or adopted
     * @param lastReadAt when bytes were last read, or {@code null} if never
     * @param lastWriteAt when bytes were last written, or {@code null} if never
     * @param loop the name of the loop that serves the channel
     * @param inputEnded whether the peer half-closed or closed (a read found end-of-stream)
     * @param outputShutdown whether this side half-closed (sent end-of-stream)
     * @param tls whether the channel speaks TLS (for a listener: whether its connections will)
     * @param protocol the negotiated TLS protocol (for example {@code TLSv1.3}), or {@code null} for a
     *        plain channel or until the handshake has finished
     * @param cipherSuite the negotiated cipher suite, or {@code null} for a plain channel or until the
     *        handshake has finished
     * @param idleFor how long since the channel last read or wrote (since it was created if it never did)
     * @param diagnostics mistakes the loop noticed in the dispatcher ({@code writable()} spinning the loop,
     *        {@code readable()} leaving input waiting), in words; empty when none
     * @param events the channel's recent transitions, oldest first, in the answer for one channel only
     *        ({@code null}, so left out, in the list)
     */
    public record ChannelDescriptor(long id, String name, String dispatcher, ChannelKind kind, ChannelState state,
            @Nullable String localAddress, @Nullable String remoteAddress, boolean readable, boolean writable,
            long bytesRead, long bytesWritten, long pendingOutputBytes, boolean outputWritable, long outputHardLimit,
            long outputSoftLimit, Instant createdAt,
            @Nullable Instant lastReadAt, @Nullable Instant lastWriteAt, String loop, boolean inputEnded,
            boolean outputShutdown, boolean tls, @Nullable String protocol, @Nullable String cipherSuite,
            Duration idleFor, List<String> diagnostics, @Nullable List<EventDescriptor> events)
            implements OperationResponseBody {

        static ChannelDescriptor of(ChannelSnapshot channel, @Nullable List<ChannelTransition> history) {
            TlsStatus tls = channel.tls();
            return new ChannelDescriptor(channel.id(), channel.name(), channel.dispatcher(), channel.kind(),
                    channel.state(), format(channel.localAddress()), format(channel.remoteAddress()),
                    channel.readable(), channel.writable(), channel.bytesRead(), channel.bytesWritten(),
                    channel.pendingOutputBytes(), channel.outputWritable(), channel.outputLimit().hard(),
                    channel.outputLimit().soft(), channel.createdAt(), channel.lastReadAt(), channel.lastWriteAt(),
                    channel.loop(), channel.inputEnded(), channel.outputShutdown(), tls != null,
                    (tls != null) ? tls.protocol() : null, (tls != null) ? tls.cipherSuite() : null,
                    idleFor(channel), channel.diagnostics(),
                    (history != null) ? history.stream().map(EventDescriptor::of).toList() : null);
        }

        private static Duration idleFor(ChannelSnapshot channel) {
            Instant last = later(later(channel.createdAt(), channel.lastReadAt()), channel.lastWriteAt());
            Duration idle = Duration.between(last, Instant.now());
            return idle.isNegative() ? Duration.ZERO : idle;
        }

        private static Instant later(Instant instant, @Nullable Instant other) {
            return (other != null && other.isAfter(instant)) ? other : instant;
        }

    }

    /**
     * One of a channel's recent transitions, from its {@link ChannelTransition}. Immutable; any thread.
     *
     * @param at when it happened
     * @param event what happened: the {@link ChannelTransition.Kind}'s name, for example {@code OPENED}
     * @param detail what explains it (peer, protocol, pending bytes, error, close reason), or {@code null}
     */
    public record EventDescriptor(Instant at, String event, @Nullable String detail) {

        static EventDescriptor of(ChannelTransition transition) {
            return new EventDescriptor(transition.at(), transition.kind().name(), transition.detail());
        }

    }

}
