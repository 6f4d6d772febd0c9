package io.github.asyncore.boot.event;

import java.net.SocketAddress;

import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.Dispatcher;
import org.jspecify.annotations.Nullable;

/**
 * A listener at its {@code max-connections} limit accepted a connection and closed it at once. The event's
 * channel is the listener; the refused connection never became a channel of its own.
 */
public class ConnectionRefusedEvent extends ChannelEvent {

    private final @Nullable SocketAddress remoteAddress;

    /**
     * @param listener the listener that refused the connection
     * @param remoteAddress the refused peer's address, or {@code null} when it could not be told
     */
    public ConnectionRefusedEvent(ChannelSnapshot listener, @Nullable SocketAddress remoteAddress) {
        super(listener);
        this.remoteAddress = remoteAddress;
    }

    /** @return the refused peer's address, or {@code null} when the JDK could no longer tell it */
    public @Nullable SocketAddress getRemoteAddress() {
        return this.remoteAddress;
    }

    @Override
    String detail() {
        return ", refused " + ((this.remoteAddress != null) ? Dispatcher.format(this.remoteAddress) : "a peer");
    }

}
