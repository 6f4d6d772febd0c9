package io.github.asyncore.boot.event;

import io.github.asyncore.core.ChannelListener;
import io.github.asyncore.core.ChannelSnapshot;

/**
 * A channel is ready for traffic: a connection was accepted, a client connected, a listener listens, or a
 * datagram socket was bound (see {@link ChannelListener#channelOpened}). A {@link ChannelClosedEvent}
 * follows it when the channel closes.
 */
public class ChannelOpenedEvent extends ChannelEvent {

    /**
     * @param channel the channel when it opened
     */
    public ChannelOpenedEvent(ChannelSnapshot channel) {
        super(channel);
    }

}
