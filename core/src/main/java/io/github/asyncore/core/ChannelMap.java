package io.github.asyncore.core;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.asyncore.core.internal.channel.ChannelContext;
import io.github.asyncore.core.internal.channel.ChannelListeners;
import io.github.asyncore.core.internal.channel.DispatcherCounters;
import io.github.asyncore.core.internal.channel.OutputBounds;
import io.github.asyncore.core.internal.loop.HandshakeThreads;
import io.github.asyncore.core.internal.loop.LoopBuffers;
import io.github.asyncore.core.internal.loop.LoopChannel;
import io.github.asyncore.core.internal.loop.LoopStatistics;
import io.github.asyncore.core.internal.loop.SelectorDriver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * asyncore's socket map: the live dispatchers that one {@link EventLoop} serves. A dispatcher joins its
 * map when its socket is created or adopted and leaves it on {@link Dispatcher#close()}; the loop
 * returns from {@link EventLoop#loop(java.time.Duration)} once the map is empty.
 * <p>
 * There is one {@link #defaultMap() default map}, which a dispatcher joins when it is given no map and
 * is not created on a running loop's thread, and any number of explicit maps, each with its own loop
 * ({@link #eventLoop()}).
 * <p>
 * The map also keeps the traffic counters of its channels, one set per dispatcher name
 * ({@link #traffic()}): a channel counts under its name, an accepted connection under its listener's. Give
 * dispatchers names per role (the starter uses bean names), never per connection: a name's counters stay
 * for the life of the map, and past {@link #MAX_DISPATCHER_NAMES} names further ones count together under
 * {@link #OTHER_DISPATCHERS}, with one warning.
 * <p>
 * Threads: {@link #snapshot()}, {@link #traffic()}, {@link #find(long)}, {@link #size()}, {@link #count},
 * {@link #closeAll()}, {@link #close()} and adding or removing a {@link ChannelListener} may be called from
 * any thread while the loop runs. Joining and leaving happen on the loop thread.
 */
public final class ChannelMap implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ChannelMap.class);

    private static final AtomicInteger counter = new AtomicInteger();

    /** How many dispatcher names a map counts traffic under apart; further names share {@link #OTHER_DISPATCHERS}. */
    public static final int MAX_DISPATCHER_NAMES = 1000;

    /** The name the traffic of dispatcher names past {@link #MAX_DISPATCHER_NAMES} is counted under. */
    public static final String OTHER_DISPATCHERS = "other";

    /**
     * 64 MiB: how much output memory a map's loop lends its channels at most, unless set otherwise. Keep the
     * loops' ceilings together below the JVM's direct memory ({@code -XX:MaxDirectMemorySize}, which is
     * the maximum heap unless set).
     */
    public static final long DEFAULT_MAX_OUTPUT_MEMORY = LoopBuffers.DEFAULT_MAX_LENT_BYTES;

    private final String name;

    private final Map<Long, Dispatcher> channels = new ConcurrentHashMap<>();

    /** The same channels as the loop sees them: a view of {@link #channels}, not a copy to keep in step. */
    private final Collection<LoopChannel> loopChannels = new AbstractCollection<>() {

        @Override
        public Iterator<LoopChannel> iterator() {
            Iterator<Dispatcher> dispatchers = ChannelMap.this.channels.values().iterator();
            return new Iterator<>() {

                @Override
                public boolean hasNext() {
                    return dispatchers.hasNext();
                }

                @Override
                public LoopChannel next() {
                    return dispatchers.next().core().loopChannel();
                }

            };
        }

        @Override
        public int size() {
            return ChannelMap.this.channels.size();
        }

    };

    private final LoopStatistics statistics = new LoopStatistics();

    /** Traffic counters by dispatcher name: added on the loop thread, read from any. */
    private final Map<String, DispatcherCounters> traffic = new ConcurrentHashMap<>();

    /** Set once the map warned that it counts further names under {@link #OTHER_DISPATCHERS}; loop thread. */
    private boolean trafficNamesExhausted;

    private final LoopBuffers buffers = new LoopBuffers();

    private final ChannelListeners listeners = new ChannelListeners();

    private final EventLoop eventLoop;

    /** The part of the loop that asks channels {@code readable()}/{@code writable()}. */
    private final SelectorDriver selectorDriver;

    private final Context context = new Context();

    /** Set while the map refuses channels: see {@link #refuseChannels(String)}. */
    private volatile String refusal;

    /** Where accepted connections go: set by an {@link EventLoopGroup} of several loops. */
    private volatile Supplier<ChannelMap> connectionMaps;

    private volatile Executor handshakeExecutor = HandshakeThreads.shared();

    /** Creates a map, and its loop, named {@code asyncore-N}. */
    public ChannelMap() {
        this("asyncore-" + counter.getAndIncrement());
    }

    /**
     * Creates a map and its loop.
     * @param name names the map, its loop and the loop's thread when started with
     *        {@link EventLoop#start()}
     */
    public ChannelMap(String name) {
        this.name = name;
        this.eventLoop = new EventLoop(this, this.statistics);
        this.selectorDriver = this.eventLoop.selectorDriver();
    }

    /** @return the process-wide map used when a dispatcher is given none, as asyncore's {@code socket_map} */
    public static ChannelMap defaultMap() {
        return DefaultMap.INSTANCE;
    }

    /**
     * The map a dispatcher joins when it is given none: the map of the loop running on the calling thread
     * (so that a connection accepted in a handler stays on its listener's loop), else the default map.
     * @return the map for the calling thread
     */
    public static ChannelMap current() {
        EventLoop running = EventLoop.current();
        return (running != null) ? running.map() : defaultMap();
    }

    /**
     * Makes the map refuse channels and its loop refuse work until {@link #acceptChannels()}: creating or
     * adopting a socket fails with an {@link IllegalStateException}, and a task or timer handed to its loop
     * (as a send from another thread is) with a {@link RejectedExecutionException},
     * each giving the reason. For a map no loop
     * will ever run, such as the default map of an application that switched asyncore off, so that a call
     * fails at once with the reason instead of waiting for a loop that never comes. Any thread.
     * @param reason why, for the exceptions' messages
     */
    public void refuseChannels(String reason) {
        this.refusal = Objects.requireNonNull(reason, "reason");
    }

    /** Undoes {@link #refuseChannels(String)}. Any thread. */
    public void acceptChannels() {
        this.refusal = null;
    }

    /**
     * Refuses a task or timer for the map's loop while the map refuses channels. Any thread.
     * @throws RejectedExecutionException with the reason
     */
    void checkTakesWork() {
        String refusal = this.refusal;
        if (refusal != null) {
            throw new RejectedExecutionException(this.name + " takes no work: " + refusal);
        }
    }

    /** @return the map's name, shared with its loop */
    public String name() {
        return this.name;
    }

    /** @return the loop that serves this map */
    public EventLoop eventLoop() {
        return this.eventLoop;
    }

    /**
     * Sets the most output memory the map's loop lends its channels at once: the direct chunks that hold the
     * output of {@link BufferedDispatcher}s until their peers take it. When a send needs more, or more than
     * the JVM's direct memory allows, the channel holding the most output memory (usually the one that sent)
     * is closed with {@link CloseReason#OUTPUT_LIMIT} (logged, counted), and the loop goes on serving the
     * others. Idle chunks kept for reuse (at most 4 MiB)
     * do not count. Any thread; applies to the next chunk lent.
     * @param bytes at least one chunk's worth (16 KiB)
     */
    public void setMaxOutputMemory(long bytes) {
        if (bytes < LoopBuffers.CHUNK_SIZE) {
            throw new IllegalArgumentException("max-output-memory must be at least " + LoopBuffers.CHUNK_SIZE
                    + " bytes, was " + bytes);
        }
        this.buffers.setMaxLentBytes(bytes);
    }

    /**
     * Sets where the TLS engines of this map's channels do their handshake work: key agreement, signatures
     * and certificate checks (the JDK's delegated tasks, Conscrypt's wraps and unwraps), a millisecond or
     * more of CPU per handshake, which on the loop thread would stall every other channel of the loop during
     * a burst of new TLS clients. The handshake waits for them without
     * blocking anyone and goes on on the loop when they finish. By default a pool shared by all maps, with
     * as many daemon threads as the machine has processors. Any thread; applies from the next task.
     * @param executor where to run them, or {@code null} to run them on the loop thread
     */
    public void setHandshakeExecutor(Executor executor) {
        this.handshakeExecutor = executor;
    }

    /** @return where the TLS engines of this map's channels do their handshake work, {@code null}: the loop */
    public Executor getHandshakeExecutor() {
        return this.handshakeExecutor;
    }

    /** @return the most output memory the map's loop lends its channels at once, in bytes */
    public long getMaxOutputMemory() {
        return this.buffers.maxLentBytes();
    }

    /** @return how many channels are live in this map */
    public int size() {
        return this.channels.size();
    }

    /** @return whether no channel is live (then {@code loop()} returns) */
    public boolean isEmpty() {
        return this.channels.isEmpty();
    }

    /**
     * Counts the live channels of one kind without taking snapshots. Any thread.
     * @param kind the kind to count
     * @return how many live channels are of that kind
     */
    public int count(ChannelKind kind) {
        int count = 0;
        for (Dispatcher dispatcher : this.channels.values()) {
            if (dispatcher.kind() == kind) {
                count++;
            }
        }
        return count;
    }

    /**
     * The live channels of one kind, without taking snapshots. Any thread.
     * @param kind the kind wanted
     * @return a new list of the map's live dispatchers of that kind
     */
    public List<Dispatcher> channels(ChannelKind kind) {
        List<Dispatcher> found = new ArrayList<>();
        for (Dispatcher dispatcher : this.channels.values()) {
            if (dispatcher.kind() == kind) {
                found.add(dispatcher);
            }
        }
        return found;
    }

    /**
     * Counts the live channels of one kind whose traffic counts under a dispatcher name (see
     * {@link #traffic()}). Any thread.
     * @param kind the kind to count
     * @param dispatcher the dispatcher name
     * @return how many live channels are of that kind and count under that name
     */
    public int count(ChannelKind kind, String dispatcher) {
        int count = 0;
        for (Dispatcher channel : this.channels.values()) {
            DispatcherCounters counters = channel.core().trafficAccount().counters();
            if (channel.kind() == kind && counters != null && counters.name().equals(dispatcher)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Reads the traffic counted under each dispatcher name on this map's loop: every name a channel of the
     * map counted under since the map was created, whether or not it has live channels now. Any thread.
     * @return a new list, ordered by name
     */
    public List<DispatcherTraffic> traffic() {
        List<DispatcherTraffic> all = new ArrayList<>(this.traffic.size());
        for (DispatcherCounters counters : this.traffic.values()) {
            all.add(counters.snapshot(this.name));
        }
        all.sort(Comparator.comparing(DispatcherTraffic::dispatcher));
        return all;
    }

    /**
     * Reads the traffic counted under one dispatcher name on this map's loop. Any thread.
     * @param dispatcher the dispatcher name
     * @return its counters now, or empty when no channel of the map ever counted under that name
     */
    public Optional<DispatcherTraffic> traffic(String dispatcher) {
        DispatcherCounters counters = this.traffic.get(dispatcher);
        return (counters != null) ? Optional.of(counters.snapshot(this.name)) : Optional.empty();
    }

    /**
     * Finds a live dispatcher, for operations that are safe from any thread (such as
     * {@link Dispatcher#close()}).
     * @param id a channel id from a snapshot
     * @return the dispatcher, or empty when no live channel has that id
     */
    public Optional<Dispatcher> find(long id) {
        return Optional.ofNullable(this.channels.get(id));
    }

    /**
     * Takes a snapshot of every live channel, ordered by id. Safe from any thread while the loop runs.
     * @return a new list of snapshots
     */
    public List<ChannelSnapshot> snapshot() {
        List<ChannelSnapshot> snapshots = new ArrayList<>(this.channels.size());
        for (Dispatcher dispatcher : this.channels.values()) {
            snapshots.add(dispatcher.core().snapshot());
        }
        snapshots.sort(Comparator.comparingLong(ChannelSnapshot::id));
        return snapshots;
    }

    /**
     * Takes a snapshot of one live channel.
     * @param id the channel id
     * @return the snapshot, or empty when no live channel has that id
     */
    public Optional<ChannelSnapshot> snapshot(long id) {
        return find(id).map((dispatcher) -> dispatcher.core().snapshot());
    }

    /**
     * Closes every channel in the map, as asyncore's {@code close_all}. From another thread while the
     * loop runs, the closing is handed to the loop.
     */
    public void closeAll() {
        if (!this.eventLoop.inEventLoop()) {
            this.eventLoop.execute(this::closeAll);
            return;
        }
        for (Dispatcher dispatcher : this.channels.values()) {
            dispatcher.close();
        }
    }

    /**
     * Adds a listener that hears about this map's channels opening, idling, closing and being refused, on
     * the loop thread; see {@link ChannelListener} for what it may rely on. It hears about events from
     * the next one on. Any thread.
     * @param listener the listener; the same one added twice hears everything twice
     */
    public void addChannelListener(ChannelListener listener) {
        this.listeners.add(listener);
    }

    /**
     * Removes a listener added with {@link #addChannelListener}; it may still hear an event the loop is
     * delivering at this moment. Any thread.
     * @param listener the listener; nothing happens if it was not added
     */
    public void removeChannelListener(ChannelListener listener) {
        this.listeners.remove(listener);
    }

    /** Closes every channel and releases the loop's selector; see {@link EventLoop#close()}. */
    @Override
    public void close() {
        this.eventLoop.close();
    }

    /**
     * @return the live channels as the loop sees them: a live view, which channels join and leave on the
     *         loop thread, also while the loop iterates it
     */
    Collection<LoopChannel> loopChannels() {
        return this.loopChannels;
    }

    LoopStatistics statistics() {
        return this.statistics;
    }

    /**
     * Finds, or adds, the counters of a dispatcher name; the map's listeners hear of a name it adds. Loop
     * thread (or the thread acting as it before the loop runs); not for the per-read or per-write path:
     * channels keep the object they are given.
     * @param dispatcher the dispatcher name
     * @return its counters, or those of {@link #OTHER_DISPATCHERS} for a new name past
     *         {@link #MAX_DISPATCHER_NAMES}
     */
    DispatcherCounters countersFor(String dispatcher) {
        DispatcherCounters counters = this.traffic.get(dispatcher);
        return (counters != null) ? counters : addCounters(dispatcher);
    }

    private DispatcherCounters addCounters(String dispatcher) {
        String key = dispatcher;
        if (this.traffic.size() >= MAX_DISPATCHER_NAMES) {
            key = OTHER_DISPATCHERS;
            if (!this.trafficNamesExhausted) {
                this.trafficNamesExhausted = true;
                logger.warn("{}: traffic is counted under {} dispatcher names already; '{}' and every further name"
                        + " count under '{}'. Name dispatchers per role, not per connection", this.name,
                        MAX_DISPATCHER_NAMES, dispatcher, OTHER_DISPATCHERS);
            }
            DispatcherCounters other = this.traffic.get(key);
            if (other != null) {
                return other;
            }
        }
        DispatcherCounters added = new DispatcherCounters(key);
        this.traffic.put(key, added);
        if (!this.listeners.isEmpty()) {
            this.listeners.dispatcherNamed(added.snapshot(this.name));
        }
        return added;
    }

    /** @return the traffic counters of every name added together, in an object no other thread sees; any thread */
    DispatcherCounters totalTraffic() {
        DispatcherCounters total = new DispatcherCounters("");
        for (DispatcherCounters counters : this.traffic.values()) {
            counters.addTo(total);
        }
        return total;
    }

    /** @return the buffers the loop lends its channels; loop thread */
    LoopBuffers buffers() {
        return this.buffers;
    }

    /** @return the map the next connection accepted by a listener of this map should join */
    ChannelMap connectionMap() {
        Supplier<ChannelMap> maps = this.connectionMaps;
        return (maps != null) ? maps.get() : this;
    }

    void setConnectionMaps(Supplier<ChannelMap> maps) {
        this.connectionMaps = maps;
    }

    void add(Dispatcher dispatcher) {
        String refusal = this.refusal;
        if (refusal != null) {
            throw new IllegalStateException(dispatcher + " cannot join " + this.name + ": " + refusal);
        }
        if (!this.eventLoop.inEventLoop()) {
            throw new IllegalStateException("A dispatcher must join " + this.name + " on its loop thread ("
                    + this.eventLoop.threadName() + "), not on " + Thread.currentThread().getName()
                    + ": create it inside eventLoop().execute(...)");
        }
        dispatcher.core().trafficAccount().resolve(this.context);
        this.channels.put(dispatcher.id(), dispatcher);
        this.selectorDriver.markForEvaluation(dispatcher.core().loopChannel());
    }

    /**
     * Releases closed channels' sockets at once when no thread runs the loop: the JDK closes a registered
     * socket for real only when its selector next selects, so that a listener closed between two
     * {@code loop()} calls would otherwise keep its port and accept connections. While the loop runs, its
     * next select (at most one iteration away) does it. Loop thread.
     */
    void releaseClosedChannels() {
        if (!this.eventLoop.isRunning()) {
            this.selectorDriver.releaseClosedChannels();
        }
    }

    /**
     * Finds whom to close when the loop has no output memory left for {@code requester}'s send: the open
     * channel that holds the most queued output, when that is another channel holding more than the
     * requester and at least one chunk (closing it gives the memory back). Loop thread.
     * @param requester the channel whose send needs memory
     * @return that channel, or {@code null} when the requester itself is the one to close
     */
    Dispatcher largerOutputHolder(Dispatcher requester) {
        Dispatcher largest = null;
        long most = Math.max(requester.core().bounds().queued(), LoopBuffers.CHUNK_SIZE - 1);
        for (Dispatcher dispatcher : this.channels.values()) {
            OutputBounds bounds = dispatcher.core().bounds();
            long queued = bounds.queued();
            if (queued > most && dispatcher != requester && !bounds.overflowed()) {
                largest = dispatcher;
                most = queued;
            }
        }
        return largest;
    }

    /** @return what the channels of this map see of it */
    ChannelContext context() {
        return this.context;
    }

    /** The map as the channels' cores see it. */
    private final class Context implements ChannelContext {

        @Override
        public Executor handshakeExecutor() {
            return ChannelMap.this.handshakeExecutor;
        }

        @Override
        public String name() {
            return ChannelMap.this.name;
        }

        @Override
        public EventExecutor executor() {
            return ChannelMap.this.eventLoop;
        }

        @Override
        public LoopBuffers buffers() {
            return ChannelMap.this.buffers;
        }

        @Override
        public LoopStatistics statistics() {
            return ChannelMap.this.statistics;
        }

        @Override
        public ChannelListeners listeners() {
            return ChannelMap.this.listeners;
        }

        @Override
        public DispatcherCounters countersFor(String dispatcherName) {
            return ChannelMap.this.countersFor(dispatcherName);
        }

        @Override
        public void markForEvaluation(LoopChannel channel) {
            ChannelMap.this.selectorDriver.markForEvaluation(channel);
        }

        @Override
        public void releaseClosedChannels() {
            ChannelMap.this.releaseClosedChannels();
        }

        @Override
        public void remove(long id) {
            ChannelMap.this.channels.remove(id);
        }

        @Override
        public String toString() {
            return ChannelMap.this.toString();
        }

    }

    @Override
    public String toString() {
        return "ChannelMap[" + this.name + ", " + this.channels.size() + " channels]";
    }

    private static final class DefaultMap {

        static final ChannelMap INSTANCE = new ChannelMap("asyncore-default");

    }

}
