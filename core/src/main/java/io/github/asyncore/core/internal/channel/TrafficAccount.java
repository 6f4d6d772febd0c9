package io.github.asyncore.core.internal.channel;

/**
 * Where a dispatcher's traffic counts ({@code ChannelMap.traffic()}): the name it counts under (its own,
 * or for an accepted connection not renamed since, its listener's) and that name's counters in its map.
 * The name is read and written on any thread; the counters are resolved on the loop thread, when the
 * channel joins its map or is renamed, so that a read or write adds to them with no look-up.
 */
public final class TrafficAccount {

    private volatile String name;

    private volatile DispatcherCounters counters;

    TrafficAccount(String name) {
        this.name = name;
    }

    /** @return the name the traffic counts under; any thread */
    public String name() {
        return this.name;
    }

    /**
     * Counts under another name from the next {@link #resolve}; the counters so far stay with the old name.
     * Any thread.
     */
    public void rename(String name) {
        this.name = name;
    }

    /** Counts under the same name as another account (an accepted connection under its listener's). */
    void inherit(TrafficAccount listener) {
        this.name = listener.name;
    }

    /** @return the counters the traffic goes to, or {@code null} before the channel joined a map; any thread */
    public DispatcherCounters counters() {
        return this.counters;
    }

    /** @return the counters the traffic goes to, resolved in the map first if need be; loop thread */
    public DispatcherCounters counters(ChannelContext map) {
        DispatcherCounters current = this.counters;
        return (current != null) ? current : resolve(map);
    }

    /** @return the map's counters for the current name, from now on those of this account; loop thread */
    public DispatcherCounters resolve(ChannelContext map) {
        DispatcherCounters resolved = map.countersFor(this.name);
        this.counters = resolved;
        return resolved;
    }

}
