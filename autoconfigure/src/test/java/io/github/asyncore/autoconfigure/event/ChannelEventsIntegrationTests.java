package io.github.asyncore.autoconfigure.event;

import io.github.asyncore.boot.event.ChannelClosedEvent;
import io.github.asyncore.boot.event.ChannelEvent;
import io.github.asyncore.boot.event.ChannelEventPublisher;
import io.github.asyncore.boot.event.ChannelIdleEvent;
import io.github.asyncore.boot.event.ChannelOpenedEvent;
import io.github.asyncore.boot.event.ConnectionRefusedEvent;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint;
import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelState;
import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.IdleState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Channel events reach an application's {@code @EventListener} over real loopback sockets: opened, then
 * closed with the right reason, in order, on the {@code asyncore-events} thread.
 */
class ChannelEventsIntegrationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class, ChannelEventsAutoConfiguration.class))
        .withUserConfiguration(Servers.class)
        .withPropertyValues("asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.failingServer.address=127.0.0.1:0");

    @Test
    void aClientThatClosesIsOpenedThenClosedByThePeer() {
        this.contextRunner.run((context) -> {
            EventRecorder recorder = context.getBean(EventRecorder.class);
            long connection;
            try (Socket client = LoopbackClients.connect(context.getBean("echoServer", Dispatcher.class))) {
                LoopbackClients.echo(client, "ping".getBytes(StandardCharsets.UTF_8));
                connection = recorder.connectionOf(client);
            }
            ChannelClosedEvent closed = recorder.awaitClosed(connection);
            assertThat(closed.getReason()).isEqualTo(CloseReason.PEER);
            assertThat(recorder.of(connection)).extracting((event) -> event.getClass().getSimpleName())
                .containsExactly("ChannelOpenedEvent", "ChannelClosedEvent");
            assertThat(closed.getChannel().state()).isEqualTo(ChannelState.CLOSED);
            assertThat(closed.getChannel().bytesRead()).isEqualTo(4);
            assertThat(closed.getChannel().name()).startsWith("echoServer#");
            assertThat(closed.getLoop()).isEqualTo("asyncore-0");
            assertThat(recorder.threads).containsOnly(ChannelEventPublisher.THREAD_NAME);
        });
    }

    @Test
    void theListenerItselfIsOpenedAtStartUp() {
        this.contextRunner.run((context) -> {
            EventRecorder recorder = context.getBean(EventRecorder.class);
            long listener = context.getBean("echoServer", Dispatcher.class).id();
            ChannelOpenedEvent opened = (ChannelOpenedEvent) await()
                .atMost(EventRecorder.WAIT)
                .until(() -> recorder.of(listener), (events) -> !events.isEmpty())
                .get(0);
            assertThat(opened.getChannel().kind()).isEqualTo(ChannelKind.LISTENER);
            assertThat(opened.getChannel().state()).isEqualTo(ChannelState.LISTENING);
        });
    }

    @Test
    void anIdleClientGetsTheIdleEventThenIsClosedForTheTimeout() {
        this.contextRunner.withPropertyValues("asyncore.dispatchers.echoServer.idle-timeout=300ms").run((context) -> {
            EventRecorder recorder = context.getBean(EventRecorder.class);
            try (Socket client = LoopbackClients.connect(context.getBean("echoServer", Dispatcher.class))) {
                long connection = recorder.connectionOf(client);
                assertThat(client.getInputStream().read()).as("closed when idle").isEqualTo(-1);
                ChannelClosedEvent closed = recorder.awaitClosed(connection);
                assertThat(closed.getReason()).isEqualTo(CloseReason.IDLE_TIMEOUT);
                List<ChannelEvent> events = recorder.of(connection);
                assertThat(events).extracting((event) -> event.getClass().getSimpleName())
                    .containsExactly("ChannelOpenedEvent", "ChannelIdleEvent", "ChannelClosedEvent");
                assertThat(((ChannelIdleEvent) events.get(1)).getIdleState()).isEqualTo(IdleState.ALL_IDLE);
            }
        });
    }

    @Test
    void aChannelTheOperatorClosesIsClosedByTheOperator() {
        this.contextRunner.run((context) -> {
            EventRecorder recorder = context.getBean(EventRecorder.class);
            ChannelsEndpoint endpoint = new ChannelsEndpoint(context.getBean(EventLoopGroup.class));
            try (Socket client = LoopbackClients.connect(context.getBean("echoServer", Dispatcher.class))) {
                long connection = recorder.connectionOf(client);
                assertThat(endpoint.closeChannel(connection)).isNotNull();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                assertThat(recorder.awaitClosed(connection).getReason()).isEqualTo(CloseReason.OPERATOR);
            }
        });
    }

    @Test
    void aHandlerThatThrowsClosesItsChannelWithAnError() {
        this.contextRunner.run((context) -> {
            EventRecorder recorder = context.getBean(EventRecorder.class);
            try (Socket client = LoopbackClients.connect(context.getBean("failingServer", Dispatcher.class))) {
                long connection = recorder.connectionOf(client);
                client.getOutputStream().write("boom".getBytes(StandardCharsets.UTF_8));
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                assertThat(recorder.awaitClosed(connection).getReason()).isEqualTo(CloseReason.ERROR);
                assertThat(recorder.of(connection)).hasSize(2);
            }
        });
    }

    @Test
    void theApplicationsShutdownClosesOpenChannelsForTheShutdownBeforeTheContextIsClosed() throws IOException {
        AtomicReference<EventRecorder> recorder = new AtomicReference<>();
        AtomicReference<Socket> client = new AtomicReference<>();
        long[] ids = new long[2];
        try {
            this.contextRunner.run((context) -> {
                recorder.set(context.getBean(EventRecorder.class));
                Dispatcher listener = context.getBean("echoServer", Dispatcher.class);
                ids[0] = listener.id();
                client.set(LoopbackClients.connect(listener));
                ids[1] = recorder.get().connectionOf(client.get());
            });
            // the context is closed now: the publisher stopped after the loops and published their closes first
            for (long id : ids) {
                List<ChannelEvent> events = recorder.get().of(id);
                assertThat(events).last().isInstanceOfSatisfying(ChannelClosedEvent.class,
                        (closed) -> assertThat(closed.getReason()).isEqualTo(CloseReason.SHUTDOWN));
            }
        }
        finally {
            if (client.get() != null) {
                client.get().close();
            }
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedForItsOutputAsThePropertiesSay() {
        // water marks above the hard limit, so that the echo's own output reaches it: the limit holds
        // whoever makes the output
        this.contextRunner.withPropertyValues("asyncore.dispatchers.echoServer.output-hard-limit=256KB",
                "asyncore.dispatchers.echoServer.output-soft-limit=0",
                "asyncore.dispatchers.echoServer.write-buffer-high-water-mark=1MB",
                "asyncore.dispatchers.echoServer.write-buffer-low-water-mark=512KB").run((context) -> {
                    EventRecorder recorder = context.getBean(EventRecorder.class);
                    ChannelsEndpoint endpoint = new ChannelsEndpoint(context.getBean(EventLoopGroup.class));
                    try (Socket client = LoopbackClients.connect(context.getBean("echoServer", Dispatcher.class))) {
                        long connection = recorder.connectionOf(client);
                        client.setReceiveBufferSize(16 * 1024);
                        byte[] chunk = new byte[64 * 1024];
                        try {
                            for (int i = 0; i < 512; i++) { // 32 MiB, read by nobody
                                client.getOutputStream().write(chunk);
                            }
                        }
                        catch (IOException ex) {
                            // the server closed the connection while we were still writing
                        }
                        ChannelClosedEvent closed = recorder.awaitClosed(connection);
                        assertThat(closed.getReason()).isEqualTo(CloseReason.OUTPUT_LIMIT);
                        assertThat(closed.getChannel().outputLimit().hard()).isEqualTo(256 * 1024);
                        assertThat(closed.getChannel().pendingOutputBytes())
                            .as("what it owed when closed: the send that would have gone over was refused")
                            .isPositive()
                            .isLessThanOrEqualTo(256 * 1024);
                        assertThat(endpoint.channels(null, null).loops()).singleElement()
                            .satisfies((loop) -> {
                                assertThat(loop.outputHardLimitCloses()).isOne();
                                assertThat(loop.outputMemoryUsed()).isZero();
                            });
                    }
                });
    }

    @Test
    void aConnectionRefusedAtTheLimitIsPublishedWithTheListener() {
        this.contextRunner.withPropertyValues("asyncore.dispatchers.echoServer.max-connections=1").run((context) -> {
            EventRecorder recorder = context.getBean(EventRecorder.class);
            Dispatcher listener = context.getBean("echoServer", Dispatcher.class);
            try (Socket first = LoopbackClients.connect(listener)) {
                LoopbackClients.echo(first, "ping".getBytes(StandardCharsets.UTF_8));
                try (Socket refused = LoopbackClients.connect(listener)) {
                    assertThat(refused.getInputStream().read()).isEqualTo(-1);
                    ConnectionRefusedEvent event = (ConnectionRefusedEvent) await()
                        .atMost(EventRecorder.WAIT)
                        .until(() -> recorder.events.stream().filter(ConnectionRefusedEvent.class::isInstance).findFirst(),
                                (found) -> found.isPresent())
                        .orElseThrow();
                    assertThat(event.getChannel().id()).isEqualTo(listener.id());
                    assertThat(event.getRemoteAddress()).isEqualTo(refused.getLocalSocketAddress());
                }
            }
        });
    }

    @Test
    void everyLoopOfTheGroupReportsItsChannels() {
        this.contextRunner.withPropertyValues("asyncore.loop.threads=2").run((context) -> {
            EventRecorder recorder = context.getBean(EventRecorder.class);
            Dispatcher listener = context.getBean("echoServer", Dispatcher.class);
            try (Socket first = LoopbackClients.connect(listener); Socket second = LoopbackClients.connect(listener)) {
                long one = recorder.connectionOf(first);
                long two = recorder.connectionOf(second);
                assertThat(List.of(recorder.of(one).get(0).getLoop(), recorder.of(two).get(0).getLoop()))
                    .containsExactlyInAnyOrder("asyncore-0", "asyncore-1");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Servers {

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        FailingServer failingServer() {
            return new FailingServer();
        }

        @Bean
        EventRecorder eventRecorder() {
            return new EventRecorder();
        }

    }

    /** Its connections echo, and throw when they read "boom". */
    static class FailingServer extends Dispatcher {

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            new BufferedDispatcher(channel) {

                @Override
                public void handleRead() throws IOException {
                    byte[] data = recv(1024);
                    if (new String(data, StandardCharsets.UTF_8).contains("boom")) {
                        throw new IllegalStateException("boom: a handler bug, on purpose");
                    }
                    send(data);
                }

            };
        }

    }

}
