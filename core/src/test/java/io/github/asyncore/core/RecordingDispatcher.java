package io.github.asyncore.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dispatcher that records which hooks ran, in order, and whose readable/writable answers a test can
 * flip from any thread. Reads drain the socket into {@link #received}; hooks otherwise keep asyncore's
 * defaults unless a test overrides them.
 */
class RecordingDispatcher extends Dispatcher {

    final List<String> events = new CopyOnWriteArrayList<>();

    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    final StringBuffer received = new StringBuffer();

    volatile boolean readable = true;

    volatile boolean writable = false;

    /** Sent (once) by the next {@link #handleWrite()}, if set. */
    volatile String sendOnWrite;

    RecordingDispatcher(ChannelMap map) {
        super(map);
    }

    RecordingDispatcher(SelectableChannel channel, ChannelMap map) throws IOException {
        super(channel, map);
    }

    @Override
    public boolean readable() {
        return this.readable;
    }

    @Override
    public boolean writable() {
        return this.writable;
    }

    @Override
    public void handleConnect() throws IOException {
        this.events.add("connect");
    }

    @Override
    public void handleRead() throws IOException {
        this.events.add("read");
        byte[] data = recv(8192);
        this.received.append(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Override
    public void handleWrite() throws IOException {
        this.events.add("write");
        this.writable = false;
        String data = this.sendOnWrite;
        if (data != null) {
            this.sendOnWrite = null;
            send(data.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        this.events.add("accepted");
        super.handleAccepted(channel, address);
    }

    @Override
    public void handleClose() throws IOException {
        this.events.add("close");
        super.handleClose();
    }

    @Override
    public void handleError(Throwable error) {
        this.events.add("error");
        this.errors.add(error);
        super.handleError(error);
    }

    long count(String event) {
        return this.events.stream().filter(event::equals).count();
    }

}
