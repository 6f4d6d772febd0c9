package io.github.asyncore.autoconfigure.event;

import io.github.asyncore.boot.event.ChannelClosedEvent;
import io.github.asyncore.boot.event.ChannelEvent;
import io.github.asyncore.boot.event.ChannelOpenedEvent;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.asyncore.core.ChannelKind;

import org.springframework.context.event.EventListener;

import static org.awaitility.Awaitility.await;

/** An application bean that records every channel event its {@code @EventListener} receives, with the thread. */
public class EventRecorder {

    static final Duration WAIT = Duration.ofSeconds(10);

    final List<ChannelEvent> events = new CopyOnWriteArrayList<>();

    final List<String> threads = new CopyOnWriteArrayList<>();

    volatile Thread lastThread;

    @EventListener
    void on(ChannelEvent event) {
        this.lastThread = Thread.currentThread();
        this.threads.add(Thread.currentThread().getName());
        this.events.add(event);
    }

    /** @return the id of the connection a client socket made, once its opened event arrived */
    long connectionOf(Socket client) {
        return await().atMost(WAIT).until(() -> this.events.stream()
            .filter((event) -> event instanceof ChannelOpenedEvent)
            .filter((event) -> event.getChannel().kind() == ChannelKind.CONNECTION)
            .filter((event) -> client.getLocalSocketAddress().equals(event.getChannel().remoteAddress()))
            .map((event) -> event.getChannel().id())
            .findFirst(), (found) -> found.isPresent()).orElseThrow();
    }

    /** @return the events of one channel, in the order they arrived */
    List<ChannelEvent> of(long channelId) {
        return this.events.stream().filter((event) -> event.getChannel().id() == channelId).toList();
    }

    /** @return the close event of one channel, once it arrived */
    ChannelClosedEvent awaitClosed(long channelId) {
        return (ChannelClosedEvent) await().atMost(WAIT).until(() -> of(channelId).stream()
            .filter((event) -> event instanceof ChannelClosedEvent)
            .findFirst(), (found) -> found.isPresent()).orElseThrow();
    }

}
