package io.github.asyncore.autoconfigure.event;

import io.github.asyncore.boot.event.ChannelEventPublisher;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.autoconfigure.metrics.AsyncoreMetricsAutoConfiguration;
import io.github.asyncore.boot.actuate.metrics.ChannelEventMetrics;
import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ChannelEventsAutoConfiguration}: its publisher, the switch that turns it off, and its settings. */
class ChannelEventsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class, ChannelEventsAutoConfiguration.class));

    @Test
    void publishesOnANamedDaemonThreadThatStopsWithTheContext() {
        Thread[] publishing = new Thread[1];
        this.contextRunner.withUserConfiguration(EchoWithRecorder.class)
            .withPropertyValues("asyncore.dispatchers.echoServer.address=127.0.0.1:0")
            .run((context) -> {
                assertThat(context).hasSingleBean(ChannelEventPublisher.class);
                ChannelEventPublisher publisher = context.getBean(ChannelEventPublisher.class);
                assertThat(publisher.isRunning()).isTrue();
                assertThat(publisher.capacity()).isEqualTo(10_000);
                EventRecorder recorder = context.getBean(EventRecorder.class);
                // the listener's opened event
                publishing[0] = await().atMost(Duration.ofSeconds(10)).until(() -> recorder.lastThread, Objects::nonNull);
                assertThat(publishing[0].getName()).isEqualTo(ChannelEventPublisher.THREAD_NAME);
                assertThat(publishing[0].isDaemon()).isTrue();
            });
        await().atMost(Duration.ofSeconds(10)).until(() -> !publishing[0].isAlive());
    }

    @Test
    void noEventsWhenDisabled() {
        this.contextRunner.withUserConfiguration(EchoWithRecorder.class)
            .withPropertyValues("asyncore.events.enabled=false", "asyncore.dispatchers.echoServer.address=127.0.0.1:0")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(ChannelEventPublisher.class);
                try (Socket client = LoopbackClients.connect(context.getBean("echoServer", Dispatcher.class))) {
                    LoopbackClients.echo(client, "ping".getBytes(StandardCharsets.UTF_8));
                }
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> context.getBean(EventLoopGroup.class).count(ChannelKind.CONNECTION) == 0);
                assertThat(context.getBean(EventRecorder.class).events).isEmpty();
            });
    }

    @Test
    void absentWhenAsyncoreIsDisabled() {
        this.contextRunner.withPropertyValues("asyncore.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ChannelEventPublisher.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnPublisher() {
        this.contextRunner.withUserConfiguration(UserPublisherConfiguration.class)
            .run((context) -> assertThat(context).hasSingleBean(ChannelEventPublisher.class).hasBean("myPublisher"));
    }

    @Test
    void bindsTheQueueCapacity() {
        this.contextRunner.withPropertyValues("asyncore.events.queue-capacity=16")
            .run((context) -> assertThat(context.getBean(ChannelEventPublisher.class).capacity()).isEqualTo(16));
    }

    @Test
    void countsDroppedEventsInAMeterWhenMicrometerIsThere() {
        this.contextRunner
            .withConfiguration(AutoConfigurations.of(AsyncoreMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .run((context) -> {
                assertThat(context).hasSingleBean(ChannelEventMetrics.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("asyncore.events.dropped").functionCounter().count()).isZero();
                assertThat(registry.get("asyncore.events.queued").gauge()).isNotNull();
            });
    }

    @Test
    void noEventMetersWhenEventsAreDisabled() {
        this.contextRunner
            .withConfiguration(AutoConfigurations.of(AsyncoreMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues("asyncore.events.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ChannelEventMetrics.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoWithRecorder {

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        EventRecorder eventRecorder() {
            return new EventRecorder();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserPublisherConfiguration {

        @Bean
        ChannelEventPublisher myPublisher(EventLoopGroup group, ApplicationEventPublisher publisher) {
            return new ChannelEventPublisher(group, publisher, 8);
        }

    }

}
