package io.github.asyncore.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/** A listener that hands every accepted connection to a callback on the loop thread. */
final class TestListener extends Dispatcher {

    final List<Dispatcher> accepted = new CopyOnWriteArrayList<>();

    private final Adopter adopter;

    TestListener(ChannelMap map, Adopter adopter) throws IOException {
        this(map, StandardProtocolFamily.INET, LoopFixture.loopback(), adopter);
    }

    TestListener(ChannelMap map, ProtocolFamily family, SocketAddress address, Adopter adopter) throws IOException {
        super(map);
        this.adopter = adopter;
        createSocket(family, SocketType.STREAM);
        setReuseAddr();
        bind(address);
        listen(64);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) getLocalAddress();
    }

    /** Waits (bounded) until the first connection is adopted, and returns its dispatcher. */
    <T extends Dispatcher> T awaitAccepted() {
        return awaitAccepted(1);
    }

    /** Waits (bounded) until {@code count} connections are adopted, and returns the last one's dispatcher. */
    @SuppressWarnings("unchecked")
    <T extends Dispatcher> T awaitAccepted(int count) {
        await().atMost(LoopFixture.WAIT).until(() -> this.accepted.size() >= count);
        return (T) this.accepted.get(count - 1);
    }

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        this.accepted.add(this.adopter.adopt(channel));
    }

    @FunctionalInterface
    interface Adopter {

        Dispatcher adopt(SocketChannel channel) throws IOException;

    }

}
