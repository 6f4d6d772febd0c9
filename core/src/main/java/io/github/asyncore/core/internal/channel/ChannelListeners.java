package io.github.asyncore.core.internal.channel;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Objects;

import io.github.asyncore.core.ChannelListener;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.DispatcherTraffic;
import io.github.asyncore.core.IdleState;
import io.github.asyncore.core.internal.loop.FatalErrors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChannelListener}s of one map, and the calls to them. Adding and removing may happen on any
 * thread (copy on write); notifying happens on the loop thread and costs one volatile read when there is
 * no listener. What a listener throws is logged and goes no further.
 */
public final class ChannelListeners {

    private static final Logger logger = LoggerFactory.getLogger(ChannelListeners.class);

    private static final ChannelListener[] NONE = {};

    private volatile ChannelListener[] listeners = NONE;

    public synchronized void add(ChannelListener listener) {
        Objects.requireNonNull(listener, "listener");
        ChannelListener[] current = this.listeners;
        ChannelListener[] more = Arrays.copyOf(current, current.length + 1);
        more[current.length] = listener;
        this.listeners = more;
    }

    public synchronized void remove(ChannelListener listener) {
        ChannelListener[] current = this.listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                ChannelListener[] fewer = new ChannelListener[current.length - 1];
                System.arraycopy(current, 0, fewer, 0, i);
                System.arraycopy(current, i + 1, fewer, i, current.length - i - 1);
                this.listeners = fewer;
                return;
            }
        }
    }

    public boolean isEmpty() {
        return this.listeners.length == 0;
    }

    public void opened(ChannelSnapshot channel) {
        for (ChannelListener listener : this.listeners) {
            try {
                listener.channelOpened(channel);
            }
            catch (Throwable ex) {
                failed(listener, "channelOpened", channel, ex);
            }
        }
    }

    public void idle(ChannelSnapshot channel, IdleState state) {
        for (ChannelListener listener : this.listeners) {
            try {
                listener.channelIdle(channel, state);
            }
            catch (Throwable ex) {
                failed(listener, "channelIdle", channel, ex);
            }
        }
    }

    public void closed(ChannelSnapshot channel, CloseReason reason) {
        for (ChannelListener listener : this.listeners) {
            try {
                listener.channelClosed(channel, reason);
            }
            catch (Throwable ex) {
                failed(listener, "channelClosed", channel, ex);
            }
        }
    }

    public void refused(ChannelSnapshot listenerChannel, SocketAddress peer) {
        for (ChannelListener listener : this.listeners) {
            try {
                listener.connectionRefused(listenerChannel, peer);
            }
            catch (Throwable ex) {
                failed(listener, "connectionRefused", listenerChannel, ex);
            }
        }
    }

    public void dispatcherNamed(DispatcherTraffic traffic) {
        for (ChannelListener listener : this.listeners) {
            try {
                listener.dispatcherNamed(traffic);
            }
            catch (Throwable ex) {
                FatalErrors.rethrowIfFatal(ex);
                logger.warn("Channel listener {} threw from dispatcherNamed for '{}' on {}; counting goes on", listener,
                        traffic.dispatcher(), traffic.loop(), ex);
            }
        }
    }

    private static void failed(ChannelListener listener, String method, ChannelSnapshot channel, Throwable error) {
        FatalErrors.rethrowIfFatal(error);
        logger.warn("Channel listener {} threw from {} for channel #{} ({}); the channel goes on", listener, method,
                channel.id(), channel.name(), error);
    }

}
