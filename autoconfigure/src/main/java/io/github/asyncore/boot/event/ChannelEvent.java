package io.github.asyncore.boot.event;

import io.github.asyncore.core.ChannelSnapshot;

import org.springframework.context.ApplicationEvent;

/**
 * Something happened to one of asyncore's channels. Published by {@link ChannelEventPublisher} on its own
 * thread ({@code asyncore-events}), never on a loop thread, so an {@code @EventListener} may take its time
 * without slowing any connection; events of one channel arrive in the order they happened. Subclasses say
 * what happened; {@link #getTimestamp()} says when (on the loop thread), not when it was delivered.
 * Immutable; any thread.
 */
public abstract class ChannelEvent extends ApplicationEvent {

    private final transient ChannelSnapshot channel;

    /**
     * @param channel the channel when it happened; also the event's source
     */
    protected ChannelEvent(ChannelSnapshot channel) {
        super(channel);
        this.channel = channel;
    }

    /** @return the channel when it happened: id, name, kind, state, addresses, byte counts, times */
    public ChannelSnapshot getChannel() {
        return this.channel;
    }

    /** @return the name of the loop that serves the channel ({@code asyncore-0}, ...) */
    public String getLoop() {
        return this.channel.loop();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[channel #" + this.channel.id() + " " + this.channel.name() + " on "
                + this.channel.loop() + detail() + "]";
    }

    /** @return what subclasses add to {@link #toString()}, starting with ", " */
    String detail() {
        return "";
    }

}
