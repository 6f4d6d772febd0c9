package io.github.asyncore.autoconfigure.event;

import io.github.asyncore.boot.event.ChannelEvent;
import io.github.asyncore.boot.event.ChannelEventPublisher;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.autoconfigure.metrics.AsyncoreMetricsAutoConfiguration;
import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners that fall behind never slow the loops: events wait in the bounded queue, and what does not fit
 * is dropped, counted in {@code asyncore.events.dropped} and logged once per interval.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelEventDeliveryTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final long SLEEP_MILLIS = 200;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class, ChannelEventsAutoConfiguration.class,
                AsyncoreMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
        .withPropertyValues("asyncore.dispatchers.echoServer.address=127.0.0.1:0");

    @Test
    void aListenerThatSleepsDoesNotSlowTheEcho() {
        this.contextRunner.withUserConfiguration(SlowListenerConfiguration.class).run((context) -> {
            SlowListener listener = context.getBean(SlowListener.class);
            Dispatcher server = context.getBean("echoServer", Dispatcher.class);
            try {
                long start = System.nanoTime();
                for (int i = 0; i < 25; i++) { // 50 events: 10 s of the listener's sleep
                    try (Socket shortLived = LoopbackClients.connect(server)) {
                        LoopbackClients.echo(shortLived, new byte[] { (byte) i });
                    }
                }
                await().atMost(WAIT).until(() -> context.getBean(EventLoopGroup.class).count(ChannelKind.CONNECTION) == 0);
                try (Socket client = LoopbackClients.connect(server)) {
                    for (int i = 0; i < 200; i++) {
                        LoopbackClients.echo(client, ("echo " + i).getBytes());
                    }
                }
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // 51 events owe the listener over 10 s of sleep: were it on the loop, this would wait for it
                assertThat(tookMillis).as("25 connections and 200 round trips on another, in ms").isLessThan(5_000);
                assertThat(context.getBean(ChannelEventPublisher.class).queuedEvents())
                    .as("events still waiting for the slow listener").isPositive();
            }
            finally {
                listener.slow = false; // let the rest through quickly before the context closes
            }
            assertThat(context.getBean(ChannelEventPublisher.class).droppedEvents()).isZero();
        });
    }

    @Test
    void eventsThatDoNotFitTheQueueAreDroppedCountedAndLoggedOnce(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(BlockingListenerConfiguration.class)
            .withPropertyValues("asyncore.events.queue-capacity=4")
            .run((context) -> {
                BlockingListener listener = context.getBean(BlockingListener.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                try {
                    // the listener's own opened event blocks the publisher from the start
                    assertThat(listener.blocked.await(10, TimeUnit.SECONDS)).isTrue();
                    Dispatcher server = context.getBean("echoServer", Dispatcher.class);
                    for (int i = 0; i < 10; i++) {
                        try (Socket client = LoopbackClients.connect(server)) {
                            LoopbackClients.echo(client, new byte[] { (byte) i });
                        }
                    }
                    // 20 events: 4 fit the queue, the rest are dropped
                    await().atMost(WAIT).until(() -> registry.get("asyncore.events.dropped").functionCounter().count() >= 16);
                    assertThat(context.getBean(ChannelEventPublisher.class).droppedEvents()).isEqualTo(16);
                    assertThat(registry.get("asyncore.events.queued").gauge().value()).isEqualTo(4);
                    assertThat(output.getOut().lines().filter((line) -> line.contains("channel event(s) since the last report")))
                        .as("logged once per interval").hasSize(1);
                }
                finally {
                    listener.release.countDown();
                }
                await().atMost(WAIT).until(() -> listener.received.get() == 5);
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowListenerConfiguration {

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        SlowListener slowListener() {
            return new SlowListener();
        }

    }

    /** Sleeps on every event while {@link #slow}: the one place a test sleeps, on purpose. */
    static class SlowListener {

        volatile boolean slow = true;

        @EventListener
        void on(ChannelEvent event) throws InterruptedException {
            if (this.slow) {
                Thread.sleep(SLEEP_MILLIS);
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class BlockingListenerConfiguration {

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        BlockingListener blockingListener() {
            return new BlockingListener();
        }

    }

    /** Blocks on its first event until released; counts what it receives. */
    static class BlockingListener {

        final CountDownLatch blocked = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        final AtomicInteger received = new AtomicInteger();

        @EventListener
        void on(ChannelEvent event) throws InterruptedException {
            this.received.incrementAndGet();
            this.blocked.countDown();
            this.release.await(30, TimeUnit.SECONDS);
        }

    }

}
