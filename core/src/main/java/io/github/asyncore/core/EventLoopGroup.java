package io.github.asyncore.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several event loops that serve as one, for a server that needs more than one core. Each loop keeps
 * its own {@link ChannelMap} and thread. Listeners belong to the first map, the acceptor; with more than
 * one loop, every connection they accept goes to the group's loops in turn (the acceptor's included),
 * and {@link Dispatcher#handleAccepted} runs on the thread of the loop that will serve it. Observers see
 * the channels and loops of all maps together.
 * <p>
 * Threads: every method may be called from any thread.
 */
public final class EventLoopGroup implements AutoCloseable {

    private final List<ChannelMap> maps;

    private final AtomicInteger next = new AtomicInteger();

    /**
     * Creates a group of new maps named {@code name-0}, {@code name-1}, and so on.
     * @param name the prefix of the maps' (and their threads') names
     * @param threads how many loops, at least 1
     */
    public EventLoopGroup(String name, int threads) {
        this(new ChannelMap(name + "-0"), name, threads);
    }

    /**
     * Creates a group around an existing map, which becomes the acceptor, adding new maps named
     * {@code name-1}, {@code name-2}, and so on.
     * @param acceptor the first map: listeners join it
     * @param name the prefix of the added maps' names
     * @param threads how many loops, at least 1
     */
    public EventLoopGroup(ChannelMap acceptor, String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("an event loop group needs at least 1 thread, was " + threads);
        }
        List<ChannelMap> all = new ArrayList<>(threads);
        all.add(acceptor);
        for (int i = 1; i < threads; i++) {
            all.add(new ChannelMap(name + "-" + i));
        }
        this.maps = List.copyOf(all);
        if (threads > 1) {
            for (ChannelMap map : this.maps) {
                map.setConnectionMaps(this::next);
            }
        }
    }

    /** @return the map whose loop accepts connections: listeners join it */
    public ChannelMap acceptor() {
        return this.maps.get(0);
    }

    /** @return every map of the group, the acceptor first */
    public List<ChannelMap> maps() {
        return this.maps;
    }

    /** @return the map the next connection goes to, in turn */
    public ChannelMap next() {
        return this.maps.get(Math.floorMod(this.next.getAndIncrement(), this.maps.size()));
    }

    /** Starts every loop that is not running on a thread of its own (see {@link EventLoop#start()}). */
    public void start() {
        for (ChannelMap map : this.maps) {
            if (!map.eventLoop().isRunning()) {
                map.eventLoop().start();
            }
        }
    }

    /** @return whether every loop is running */
    public boolean isRunning() {
        return this.maps.stream().allMatch((map) -> map.eventLoop().isRunning());
    }

    /**
     * Shuts every loop down gracefully, at the same time, each as
     * {@link EventLoop#shutdownGracefully(Duration)} does.
     * @param timeout how long pending output may take to drain
     * @return the drain reports of all loops added together (the time taken is the longest), when done
     */
    public CompletableFuture<DrainReport> shutdownGracefully(Duration timeout) {
        List<CompletableFuture<DrainReport>> drains = this.maps.stream()
            .map((map) -> map.eventLoop().shutdownGracefully(timeout))
            .toList();
        return CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
            .thenApply((done) -> drains.stream().map(CompletableFuture::join).reduce(EventLoopGroup::add).orElseThrow());
    }

    /** Closes every loop; see {@link EventLoop#close()}. */
    @Override
    public void close() {
        for (ChannelMap map : this.maps) {
            map.close();
        }
    }

    /**
     * Adds the listener to every map of the group (see {@link ChannelMap#addChannelListener}), so that it
     * hears about the connections of every loop. Any thread.
     * @param listener the listener, called on the loop thread of each channel
     */
    public void addChannelListener(ChannelListener listener) {
        for (ChannelMap map : this.maps) {
            map.addChannelListener(listener);
        }
    }

    /**
     * Removes the listener from every map of the group. Any thread.
     * @param listener a listener added with {@link #addChannelListener}
     */
    public void removeChannelListener(ChannelListener listener) {
        for (ChannelMap map : this.maps) {
            map.removeChannelListener(listener);
        }
    }

    /** @return a snapshot of every loop, in the order of {@link #maps()} */
    public List<LoopSnapshot> loopSnapshots() {
        return this.maps.stream().map((map) -> map.eventLoop().snapshot()).toList();
    }

    /** @return a snapshot of every live channel of every map, ordered by id */
    public List<ChannelSnapshot> snapshot() {
        List<ChannelSnapshot> all = new ArrayList<>();
        for (ChannelMap map : this.maps) {
            all.addAll(map.snapshot());
        }
        all.sort(Comparator.comparingLong(ChannelSnapshot::id));
        return all;
    }

    /**
     * @param id a channel id
     * @return a snapshot of that channel, or empty when no map has it
     */
    public Optional<ChannelSnapshot> snapshot(long id) {
        return find(id).map((dispatcher) -> dispatcher.map().snapshot(id)).flatMap((snapshot) -> snapshot);
    }

    /**
     * @param id a channel id
     * @return that channel's recent transitions, oldest first (at most 32), or empty when no map has it
     */
    public Optional<List<ChannelTransition>> history(long id) {
        return find(id).map((dispatcher) -> dispatcher.core().history().entries());
    }

    /**
     * @param id a channel id
     * @return the live dispatcher with that id in any map of the group
     */
    public Optional<Dispatcher> find(long id) {
        for (ChannelMap map : this.maps) {
            Optional<Dispatcher> found = map.find(id);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * @param kind the kind wanted
     * @return the live dispatchers of that kind in all maps, without taking snapshots; a new list
     */
    public List<Dispatcher> channels(ChannelKind kind) {
        List<Dispatcher> all = new ArrayList<>();
        for (ChannelMap map : this.maps) {
            all.addAll(map.channels(kind));
        }
        return all;
    }

    /**
     * @param kind the kind to count
     * @return how many live channels of that kind all maps hold
     */
    public int count(ChannelKind kind) {
        return this.maps.stream().mapToInt((map) -> map.count(kind)).sum();
    }

    /**
     * @param kind the kind to count
     * @param dispatcher a dispatcher name (see {@link ChannelMap#traffic()})
     * @return how many live channels of that kind, counting under that name, all maps hold
     */
    public int count(ChannelKind kind, String dispatcher) {
        int count = 0;
        for (ChannelMap map : this.maps) {
            count += map.count(kind, dispatcher);
        }
        return count;
    }

    private static DrainReport add(DrainReport a, DrainReport b) {
        return new DrainReport(a.listenersClosed() + b.listenersClosed(), a.drained() + b.drained(),
                a.aborted() + b.aborted(), a.bytesUnsent() + b.bytesUnsent(),
                (a.took().compareTo(b.took()) >= 0) ? a.took() : b.took());
    }

    @Override
    public String toString() {
        return "EventLoopGroup" + this.maps.stream().map(ChannelMap::name).toList();
    }

}
