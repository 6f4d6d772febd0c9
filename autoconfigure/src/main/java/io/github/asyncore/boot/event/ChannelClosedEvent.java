package io.github.asyncore.boot.event;

import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.CloseReason;

/**
 * A channel that was reported opened has closed, with the reason: the peer ended it, an idle timeout, the
 * operator (the actuator's delete), an error, the application's shutdown, or the application's own code
 * (see {@link CloseReason}). Its snapshot is taken just after the close: state {@code CLOSED}, final byte
 * counts, and any output it still owed.
 */
public class ChannelClosedEvent extends ChannelEvent {

    private final CloseReason reason;

    /**
     * @param channel the channel just after it closed
     * @param reason why it closed
     */
    public ChannelClosedEvent(ChannelSnapshot channel, CloseReason reason) {
        super(channel);
        this.reason = reason;
    }

    /** @return why the channel closed */
    public CloseReason getReason() {
        return this.reason;
    }

    @Override
    String detail() {
        return ", " + this.reason;
    }

}
