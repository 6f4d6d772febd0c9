package io.github.asyncore.core.internal.channel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.asyncore.core.ChannelTransition;
import io.github.asyncore.core.ChannelTransition.Kind;

/**
 * A channel's recent transitions: a ring of the last {@value #CAPACITY}, kept across a reconnect so that a
 * client's history shows its earlier connections too. Transitions are rare next to reads and writes, so a
 * lock is cheap here and lets observers copy the ring from any thread. Not API.
 */
public final class ChannelHistory {

    /** How many transitions a channel keeps. */
    public static final int CAPACITY = 32;

    private final ChannelTransition[] ring = new ChannelTransition[CAPACITY];

    private long recorded;

    /**
     * Records a transition now. Any thread (in practice the loop's).
     * @param kind what happened
     * @param detail what explains it, or {@code null}
     */
    public void record(Kind kind, Object detail) {
        ChannelTransition transition = new ChannelTransition(Instant.now(), kind,
                (detail != null) ? detail.toString() : null);
        synchronized (this.ring) {
            this.ring[(int) (this.recorded++ % CAPACITY)] = transition;
        }
    }

    /** @return the transitions kept, oldest first; a copy, any thread */
    public List<ChannelTransition> entries() {
        synchronized (this.ring) {
            int size = (int) Math.min(this.recorded, CAPACITY);
            List<ChannelTransition> entries = new ArrayList<>(size);
            for (long i = this.recorded - size; i < this.recorded; i++) {
                entries.add(this.ring[(int) (i % CAPACITY)]);
            }
            return entries;
        }
    }

}
