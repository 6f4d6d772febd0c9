package io.github.asyncore.boot.event;

import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.IdleState;

/**
 * An idle timeout of a channel fired ({@code asyncore.channel.idle-timeout}, {@code read-idle-timeout} or
 * {@code write-idle-timeout}). The dispatcher's {@code handleIdle} runs just after it on the loop and by
 * default closes the channel, so a {@link ChannelClosedEvent} with reason {@code IDLE_TIMEOUT} usually
 * follows.
 */
public class ChannelIdleEvent extends ChannelEvent {

    private final IdleState idleState;

    /**
     * @param channel the channel when the timeout fired
     * @param idleState which timeout fired
     */
    public ChannelIdleEvent(ChannelSnapshot channel, IdleState idleState) {
        super(channel);
        this.idleState = idleState;
    }

    /** @return which timeout fired: nothing read, nothing written, or neither */
    public IdleState getIdleState() {
        return this.idleState;
    }

    @Override
    String detail() {
        return ", " + this.idleState;
    }

}
