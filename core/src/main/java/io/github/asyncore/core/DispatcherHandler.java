package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.internal.channel.ChannelContext;
import io.github.asyncore.core.internal.channel.ChannelHandler;

/**
 * A dispatcher as its channel core sees it: asyncore's hooks (the user's overrides or the defaults) and
 * the few operations only the facade knows (its overridable {@code close()}, its output queue, its close
 * and connect hooks, its map). One per dispatcher, made by its constructor and seen by nothing else; the
 * core calls it on the loop thread.
 */
final class DispatcherHandler implements ChannelHandler {

    private final Dispatcher dispatcher;

    /** Told when the channel closes (the {@link ChannelGroup}s it is in, a {@link Reconnector}). */
    private final CloseHooks closeHooks = new CloseHooks();

    /** The connect hook of a {@link Reconnector} that keeps the dispatcher connected. */
    private final Reconnection reconnection = new Reconnection();

    DispatcherHandler(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** @return who hears that the channel closed */
    CloseHooks closeHooks() {
        return this.closeHooks;
    }

    /** @return the connect hook of the reconnector that keeps the dispatcher connected, if any */
    Reconnection reconnection() {
        return this.reconnection;
    }


    @Override
    public boolean readable() {
        return this.dispatcher.readable();
    }

    @Override
    public boolean writable() {
        return this.dispatcher.writable();
    }

    @Override
    public void handleRead() throws IOException {
        this.dispatcher.handleRead();
    }

    @Override
    public void handleWrite() throws IOException {
        this.dispatcher.handleWrite();
    }

    @Override
    public void handleConnect() throws IOException {
        this.dispatcher.handleConnect();
    }

    @Override
    public void handleAccept() throws IOException {
        this.dispatcher.handleAccept();
    }

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        this.dispatcher.handleAccepted(channel, address);
    }

    @Override
    public void handleEndOfStream() throws IOException {
        this.dispatcher.handleEndOfStream();
    }

    @Override
    public void handleClose() throws IOException {
        this.dispatcher.handleClose();
    }

    @Override
    public void handleError(Throwable error) {
        this.dispatcher.handleError(error);
    }

    @Override
    public void handleIdle(IdleState state) throws IOException {
        this.dispatcher.handleIdle(state);
    }

    @Override
    public void handleWritabilityChanged() throws IOException {
        this.dispatcher.handleWritabilityChanged();
    }

    @Override
    public void close() {
        this.dispatcher.close();
    }

    @Override
    public void afterHandlers() throws IOException {
        this.dispatcher.afterHandlers();
    }

    @Override
    public boolean hasPendingOutput() {
        return this.dispatcher.hasPendingOutput();
    }

    @Override
    public void releaseOutput() {
        this.dispatcher.releaseOutput();
    }

    @Override
    public void closed() {
        this.closeHooks.closed(this.dispatcher);
    }

    @Override
    public void reopened() {
        this.dispatcher.reopened();
    }

    @Override
    public void connectEnded(Exception error) {
        if (error == null) {
            this.reconnection.connected(this.dispatcher);
        }
        else {
            this.reconnection.connectFailed(this.dispatcher, error);
        }
    }

    @Override
    public void joinMap() {
        this.dispatcher.map().add(this.dispatcher);
    }

    @Override
    public ChannelContext resolveContext() {
        return this.dispatcher.map().context();
    }

    @Override
    public String className() {
        return this.dispatcher.getClass().getName();
    }

    @Override
    public String toString() {
        return this.dispatcher.toString();
    }

}
